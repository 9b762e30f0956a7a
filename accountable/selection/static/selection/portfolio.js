/* The portfolio matrix: attractiveness (y) against our relative strength (x), a bubble per
 * account sized by revenue and coloured by programme status, the four quadrants marked; a
 * click opens the account. Data from the json_script named by data-portfolio (CSP: no inline
 * script). */
(function () {
  "use strict";

  var COLOURS = ["#6c757d", "#0d6efd", "#fd7e14", "#198754", "#adb5bd"];

  function draw(el) {
    var source = document.getElementById(el.dataset.portfolio);
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var largest = data.points.reduce(function (m, p) { return Math.max(m, p.size || 0); }, 0) || 1;
    var series = data.statuses.map(function (status, i) {
      return {
        name: status,
        type: "scatter",
        itemStyle: { color: COLOURS[i % COLOURS.length], opacity: 0.75, borderColor: "#fff" },
        symbolSize: function (value) { return 8 + 40 * Math.sqrt((value[2] || 0) / largest); },
        data: data.points.filter(function (p) { return p.status === status; }).map(function (p) {
          return { value: [p.x, p.y, p.size], name: p.name, url: p.url };
        }),
        markLine: i === 0 ? {
          silent: true,
          symbol: "none",
          lineStyle: { color: "#999", type: "dashed" },
          label: { show: false },
          data: [{ xAxis: 5.5 }, { yAxis: 5.5 }]
        } : undefined,
        markArea: i === 0 ? {
          silent: true,
          itemStyle: { color: "transparent" },
          label: { color: "#6c757d", fontSize: 12 },
          data: [
            [{ name: "Star: build", coord: [1, 10] }, { coord: [5.5, 5.5] }],
            [{ name: "Strategic: invest", coord: [5.5, 10] }, { coord: [10, 5.5] }],
            [{ name: "Streamline", coord: [1, 5.5] }, { coord: [5.5, 1] }],
            [{ name: "Status: maintain", coord: [5.5, 5.5] }, { coord: [10, 1] }]
          ]
        } : undefined
      };
    }).filter(function (s) { return s.data.length || s.markLine; });
    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      tooltip: {
        formatter: function (p) {
          if (!p.value) { return ""; }
          return window.echarts.format.encodeHTML(p.name) + "<br>attractiveness " + p.value[1] +
            ", strength " + p.value[0] + "<br>" + window.echarts.format.encodeHTML(p.seriesName);
        }
      },
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 50 },
      xAxis: { name: "Our relative strength", nameLocation: "middle", nameGap: 30, min: 1, max: 10 },
      yAxis: { name: "Attractiveness", nameLocation: "middle", nameGap: 35, min: 1, max: 10 },
      series: series
    });
    chart.on("click", function (p) {
      if (p.data && p.data.url) { window.location.href = p.data.url; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init() {
    document.querySelectorAll("[data-portfolio]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
