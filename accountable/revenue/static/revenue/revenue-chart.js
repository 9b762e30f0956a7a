/* The Revenue tab's chart: revenue by quarter, this account and with its subsidiaries.
 * Data comes from a json_script element named by data-revenue-chart (CSP: no inline script). */
(function () {
  "use strict";

  function draw(el) {
    var source = document.getElementById(el.dataset.revenueChart);
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var series = [{ name: "This account", type: "bar", data: data.own, barMaxWidth: 28 }];
    if (data.has_subsidiaries) {
      series.push({ name: "With subsidiaries", type: "line", data: data.tree });
    }
    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { show: data.has_subsidiaries },
      grid: { left: 70, right: 20, top: 30, bottom: 40 },
      xAxis: { type: "category", data: data.quarters },
      yAxis: { type: "value" },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init() {
    document.querySelectorAll("[data-revenue-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
