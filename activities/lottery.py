"""The course lottery, in a few lines anyone can re-run from what the course page publishes.

Every application number is ranked by SHA-256 of "<seed>-<number>" (lowest first): that
is the draw order. Reserved pools (老年人, 残疾人, 困难群众, in that order) are filled first,
each with its own applicants in draw order; places a pool cannot fill return to the general
places, which go to everyone not yet drawn, in draw order. The rest wait in draw order.

`allocate` does line for line what the code printed on the course page (`recipe`) does, so
what a villager runs at home is what the server ran (a test runs both)."""

import hashlib

POOL_ORDER = ("elderly", "disabled", "hardship")
POOL_NAMES = {"elderly": "老年人", "disabled": "残疾人", "hardship": "困难群众"}

DRAW = """order = sorted(numbers, key=lambda n: hashlib.sha256(f"{seed}-{n}".encode()).hexdigest())
winners = []
for count, pool in reserved.values():
    winners += [n for n in order if n in pool and n not in winners][: min(count, places - len(winners))]
winners += [n for n in order if n not in winners][: max(0, places - len(winners))]"""


def recipe(*, seed="…", numbers=(1, 2, 3), places=2, pools=None) -> str:
    """The few lines of Python printed on the course page, with the published inputs."""
    pools = pools or {}
    reserved = ", ".join(f'"{POOL_NAMES[p]}": ({pools[p][0]}, {sorted(pools[p][1])})' for p in POOL_ORDER if p in pools)
    return (
        "import hashlib\n\n"
        f'seed = "{seed}"  # 截止后公开的种子\n'
        f"numbers = {sorted(numbers)}  # 公布的全部申请号\n"
        f"places = {places}  # 名额\n"
        f"reserved = {{{reserved}}}  # 预留名额：(个数, 申请该类的申请号)\n\n"
        f"{DRAW}\n"
        'print("抽签顺序：", order)\n'
        'print("中签：", sorted(winners))'
    )


def draw_order(seed: str, numbers) -> list[int]:
    return sorted(numbers, key=lambda n: hashlib.sha256(f"{seed}-{n}".encode()).hexdigest())


def allocate(*, seed: str, numbers, capacity: int, pools: dict[str, tuple[int, set[int]]]):
    """(winners as {number: pool}, draw order): line for line what `DRAW` (the page's recipe)
    does. `pools` maps a pool to (reserved places, its applicants' numbers)."""
    order = draw_order(seed, numbers)
    winners: dict[int, str] = {}
    for pool in POOL_ORDER:
        count, eligible = pools.get(pool, (0, set()))
        picked = [n for n in order if n in eligible and n not in winners][: min(count, capacity - len(winners))]
        winners.update(dict.fromkeys(picked, pool))
    general = [n for n in order if n not in winners][: max(0, capacity - len(winners))]
    winners.update(dict.fromkeys(general, "general"))
    return winners, order
