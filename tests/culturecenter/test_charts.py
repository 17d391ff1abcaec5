from culturecenter.lib.charts import bar_chart, wrap_label


def test_every_bar_of_a_short_series_is_labelled_under_its_own_bar():
    chart = bar_chart([(f"07-0{n}", n) for n in range(1, 7)], title="每天打卡")  # six 14-px labels fit a phone
    assert all(bar.show_label for bar in chart.bars)
    for bar in chart.bars:
        assert bar.x < bar.centre < bar.x + bar.width


def test_a_long_series_labels_evenly_spaced_bars_and_the_last_one():
    chart = bar_chart([(f"d{n}", n) for n in range(60)], title="每天打卡")
    shown = [index for index, bar in enumerate(chart.bars) if bar.show_label]
    assert len(shown) <= 7 and shown[0] == 0 and shown[-1] == 59
    assert chart.bars[0].centre >= 15  # the first label, centred, is not cut off at the edge


def test_a_long_chinese_label_is_wrapped_not_cut():
    lines = wrap_label("非遗体验（景泰蓝、拓印、剪纸）", 100, 13)
    assert len(lines) == 3 and "".join(lines) == "非遗体验（景泰蓝、拓印、剪纸）"
