/* The relationship map: the customer's org chart drawn with ECharts from reports-to.
 *
 * Data comes from the page's json_script "org-chart-data" (CSP allows no inline scripts):
 * {nodes: [{id, name, title, parent, attitude, attitude_label, buying_role, dmu_role, influence,
 * owner, strength, url}], influences: [[source, target]]}.
 *
 * Layout: left to right, one column per level of the hierarchy, leaves stacked one below the
 * other and each manager centred on their team, so 300+ people stay readable (pan and zoom
 * with the mouse). A click on someone with a team folds or unfolds it and shows their details
 * with a link to their page; a double click opens the page. Informal influence is drawn as
 * dashed curved arrows over the tree.
 */
(function () {
  "use strict";

  var COLOURS = {
    mentor: "#198754",
    supporter: "#0dcaf0",
    neutral: "#adb5bd",
    non_supporter: "#fd7e14",
    enemy: "#dc3545"
  };
  var COLUMN = 260;
  var ROW = 46;

  function readData() {
    var el = document.getElementById("org-chart-data");
    if (!el) { return null; }
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function build(data) {
    var byId = {};
    var children = {};
    var roots = [];
    data.nodes.forEach(function (n) { byId[n.id] = n; children[n.id] = []; });
    data.nodes.forEach(function (n) {
      if (n.parent !== null && byId[n.parent]) { children[n.parent].push(n.id); } else { roots.push(n.id); }
    });
    return { byId: byId, children: children, roots: roots };
  }

  /* Positions of the visible nodes: {id: [x, y]}; folded teams are hidden. */
  function layout(tree, folded) {
    var pos = {};
    var next = 0;
    function place(id, depth, seen) {
      if (seen[id]) { return next * ROW; }  // a loop in the data: draw it once
      seen[id] = true;
      var kids = folded[id] ? [] : tree.children[id];
      var y;
      if (!kids.length) {
        y = next * ROW;
        next += 1;
      } else {
        var ys = kids.map(function (k) { return place(k, depth + 1, seen); });
        y = (ys[0] + ys[ys.length - 1]) / 2;
      }
      pos[id] = [depth * COLUMN, y];
      return y;
    }
    var seen = {};
    tree.roots.forEach(function (r) { place(r, 0, seen); next += 0.5; });
    return pos;
  }

  function label(n) {
    var roles = [n.buying_role, n.dmu_role].filter(Boolean).join(" · ");
    return "{name|" + n.name + "}\n{muted|" + (n.title || "") + "}" + (roles ? "\n{muted|" + roles + "}" : "");
  }

  function option(data, tree, folded) {
    var pos = layout(tree, folded);
    var nodes = [];
    var links = [];
    Object.keys(pos).forEach(function (key) {
      var n = tree.byId[key];
      var hasTeam = tree.children[n.id].length > 0;
      nodes.push({
        id: String(n.id),
        name: n.name,
        x: pos[key][0],
        y: pos[key][1],
        symbol: hasTeam && folded[n.id] ? "diamond" : "circle",
        symbolSize: 8 + n.influence * 4,
        itemStyle: { color: COLOURS[n.attitude] || COLOURS.neutral, borderColor: n.owner ? "#0d6efd" : "#dc3545", borderWidth: n.owner ? 1 : 2 },
        label: { show: true, position: "right", formatter: label(n), rich: { name: { fontWeight: "bold", lineHeight: 15 }, muted: { color: "#6c757d", fontSize: 10, lineHeight: 13 } } },
        value: n.id
      });
      if (n.parent !== null && pos[n.parent]) {
        links.push({ source: String(n.parent), target: String(n.id), lineStyle: { color: "#adb5bd", width: 1, curveness: 0 } });
      }
    });
    data.influences.forEach(function (pair) {
      if (pos[pair[0]] && pos[pair[1]]) {
        links.push({
          source: String(pair[0]), target: String(pair[1]),
          symbol: ["none", "arrow"], symbolSize: 7,
          lineStyle: { color: "#6f42c1", type: "dashed", width: 1.5, curveness: 0.3 }
        });
      }
    });
    return {
      animation: nodes.length < 400,
      tooltip: {
        formatter: function (p) {
          if (p.dataType !== "node") { return ""; }
          var n = tree.byId[p.data.value];
          var esc = function (s) { return String(s || "").replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); };
          return "<strong>" + esc(n.name) + "</strong><br>" + esc(n.title) +
            "<br>Attitude: " + esc(n.attitude_label) + " · influence " + n.influence +
            (n.buying_role ? "<br>" + esc(n.buying_role) : "") +
            "<br>Owner: " + (n.owner ? esc(n.owner) + (n.strength !== null ? " (" + n.strength + ")" : "") : "nobody");
        }
      },
      series: [{
        type: "graph",
        layout: "none",
        roam: true,
        scaleLimit: { min: 0.05, max: 4 },
        data: nodes,
        links: links,
        emphasis: { focus: "adjacency" },
        labelLayout: { hideOverlap: true }
      }]
    };
  }

  function showDetail(n) {
    var panel = document.getElementById("org-chart-detail");
    if (!panel) { return; }
    panel.hidden = false;
    panel.querySelector("[data-field=name]").textContent = n.name;
    panel.querySelector("[data-field=title]").textContent = n.title || "";
    panel.querySelector("[data-field=roles]").textContent =
      [n.buying_role, n.dmu_role, n.attitude_label, "influence " + n.influence].filter(Boolean).join(" · ");
    panel.querySelector("[data-field=owner]").textContent =
      "Owner: " + (n.owner ? n.owner + (n.strength !== null ? " (strength " + n.strength + ")" : "") : "nobody");
    panel.querySelector("[data-field=url]").setAttribute("href", n.url);
  }

  function init() {
    var el = document.getElementById("org-chart");
    var data = readData();
    if (!el || !data || typeof window.echarts === "undefined") { return; }
    var tree = build(data);
    var folded = {};
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(data, tree, folded));
    el.dataset.ready = "true";
    chart.on("click", function (p) {
      if (p.dataType !== "node") { return; }
      var n = tree.byId[p.data.value];
      showDetail(n);
      if (tree.children[n.id].length) {
        folded[n.id] = !folded[n.id];
        chart.setOption(option(data, tree, folded), { replaceMerge: ["series"] });
      }
    });
    chart.on("dblclick", function (p) {
      if (p.dataType === "node") { window.location.assign(tree.byId[p.data.value].url); }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    window.accountableOrgChart = chart;  // for the browser test and the console
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
