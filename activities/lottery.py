"""The course lottery, in a few lines anyone can re-run from what the course page publishes.

Every application number is ranked by SHA-256 of "<seed>-<number>" (lowest first): that
is the draw order. Reserved pools (老年人, 残疾人, 困难群众) are filled first, each with its
applicants in draw order; places a pool cannot fill return to the general places, which go
to everyone not yet drawn, in draw order. The rest wait in draw order."""

import hashlib

POOL_ORDER = ("elderly", "disabled", "hardship")

# Printed on the course page, so a villager can check the draw by hand.
RECIPE = """import hashlib

seed = "…"  # 截止后公开的种子
numbers = [1, 2, 3]  # 公布的全部申请号
order = sorted(numbers, key=lambda n: hashlib.sha256(f"{seed}-{n}".encode()).hexdigest())
print(order)  # 抽签顺序：预留名额先在本类申请人中按此顺序取，其余名额再按此顺序给其他人"""


def draw_order(seed: str, numbers) -> list[int]:
    return sorted(numbers, key=lambda n: hashlib.sha256(f"{seed}-{n}".encode()).hexdigest())


def allocate(*, seed: str, numbers, capacity: int, pools: dict[str, tuple[int, set[int]]]):
    """(winners as {number: pool}, draw order). `pools` maps a pool to (reserved places,
    its applicants' numbers); unused reserved places join the general places."""
    order = draw_order(seed, numbers)
    winners: dict[int, str] = {}
    for pool in POOL_ORDER:
        places, eligible = pools.get(pool, (0, set()))
        for number in order:
            if places <= 0 or len(winners) >= capacity:
                break
            if number in eligible and number not in winners:
                winners[number] = pool
                places -= 1
    for number in order:
        if len(winners) >= capacity:
            break
        if number not in winners:
            winners[number] = "general"
    return winners, order
