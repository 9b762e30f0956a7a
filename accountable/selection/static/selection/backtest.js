/* The backtest's chart: each group's revenue in the months before and after the cut-off.
 * Data from the json_script named by data-backtest (CSP: no inline script). */
(function () {
  "use strict";

  function draw(el) {
    var source = document.getElementById(el.dataset.backtest);
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 90, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.groups },
      yAxis: { type: "value", name: "Revenue" },
      series: [
        { name: data.months + " months before", type: "bar", data: data.before, itemStyle: { color: "#adb5bd" } },
        { name: data.months + " months after", type: "bar", data: data.after, itemStyle: { color: "#0d6efd" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init() {
    document.querySelectorAll("[data-backtest]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
