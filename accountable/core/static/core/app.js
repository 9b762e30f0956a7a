/* Accountable page behaviour. No inline scripts: pages configure this file through data-
 * attributes and json_script blocks, so a Content Security Policy can forbid inline code. */
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    if (!node) {
      return null;
    }
    try {
      return JSON.parse(node.textContent);
    } catch (e) {
      return null;
    }
  }

  /* KAM load against the cap: one bar per KAM, red when over the cap, a line at the cap. */
  function kamLoadOption(data) {
    var names = data.rows.map(function (r) { return r.name; });
    var values = data.rows.map(function (r) {
      return {
        value: r.owned,
        itemStyle: { color: r.owned > data.cap ? "#b02a37" : "#1f4e79" }
      };
    });
    return {
      animation: false,
      grid: { left: 48, right: 48, top: 28, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: {
        type: "category",
        data: names,
        axisLabel: { rotate: names.length > 8 ? 35 : 0, interval: 0, fontSize: 11 }
      },
      yAxis: { type: "value", minInterval: 1, name: "Accounts", nameTextStyle: { align: "left" } },
      series: [{
        type: "bar",
        name: "Owned",
        data: values,
        barMaxWidth: 36,
        markLine: {
          symbol: "none",
          label: { formatter: "cap " + data.cap },
          lineStyle: { color: "#b02a37", type: "dashed" },
          data: [{ yAxis: data.cap }]
        }
      }]
    };
  }

  var chartBuilders = { "kam-load": kamLoadOption };

  function initCharts(root) {
    if (typeof window.echarts === "undefined") {
      return;
    }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var build = chartBuilders[el.dataset.chart];
      var data = readJson(el.dataset.chartSource);
      if (!build || !data) {
        return;
      }
      var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(build(data));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  /* Show fields only when a select has one of the listed values, e.g. the owner of a status
   * change, needed only when the account becomes a pilot or key account. */
  function initConditionalFields(root) {
    root.querySelectorAll("[data-show-when]").forEach(function (el) {
      var spec = el.dataset.showWhen.split("=");
      var control = document.getElementById(spec[0]);
      if (!control) {
        return;
      }
      var values = spec[1].split(",");
      function update() {
        el.hidden = values.indexOf(control.value) === -1;
      }
      control.addEventListener("change", update);
      update();
    });
  }

  function init(root) {
    initCharts(root);
    initConditionalFields(root);
  }

  /* A search box marked data-search-as-you-type already asks as the user types; the "change"
   * it fires on leaving the box would send the same request again, so it stops here. */
  document.addEventListener("change", function (evt) {
    if (evt.target.matches && evt.target.matches("[data-search-as-you-type]")) {
      evt.stopPropagation();
    }
  }, true);

  /* Account lookup (the parent in the account form): a click on a result fills the number
   * field it names; Enter in the search box looks up rather than submitting the form. */
  document.addEventListener("click", function (evt) {
    var item = evt.target.closest && evt.target.closest("[data-fill-target]");
    if (!item) {
      return;
    }
    var field = document.getElementById(item.dataset.fillTarget);
    if (!field) {
      return;
    }
    field.value = item.dataset.fillValue;
    var chosen = document.getElementById(item.dataset.fillTarget + "_chosen");
    if (chosen) {
      chosen.textContent = "Now: " + item.dataset.fillLabel;
    }
    var results = document.getElementById(item.dataset.fillTarget + "_results");
    if (results) {
      results.replaceChildren();
    }
    field.focus();
  });
  document.addEventListener("keydown", function (evt) {
    if (evt.key === "Enter" && evt.target.closest && evt.target.closest(".lookup input[type=search]")) {
      evt.preventDefault();
    }
  });

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (evt) { init(evt.target); });
})();
