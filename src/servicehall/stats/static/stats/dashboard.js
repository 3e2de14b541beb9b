// Draws the dashboard's charts with ECharts from the data the page embeds; every chart has
// its table on the page, so the figures stay readable without scripts.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("charts-data").textContent);
  var charts = [];

  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element || typeof echarts === "undefined") { return; }
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(Object.assign({ animation: false, tooltip: {} }, option));
    charts.push(chart);
  }

  draw("chart-trend", {
    tooltip: { trigger: "axis" },
    legend: { data: data.trend.names },
    xAxis: { type: "category", data: data.trend.months },
    yAxis: { type: "value" },
    series: [
      { name: data.trend.names[0], type: "bar", data: data.trend.accepted },
      { name: data.trend.names[1], type: "line", data: data.trend.completed }
    ]
  });
  draw("chart-ranking", {
    grid: { left: 110 },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: data.ranking.departments },
    series: [{ name: data.ranking.name, type: "bar", data: data.ranking.accepted }]
  });
  draw("chart-on-time", {
    tooltip: { trigger: "axis" },
    legend: { data: data.on_time.names },
    xAxis: { type: "category", data: data.on_time.departments, axisLabel: { rotate: 30 } },
    yAxis: { type: "value", max: 100 },
    series: [
      { name: data.on_time.names[0], type: "bar", data: data.on_time.rate },
      { name: data.on_time.names[1], type: "bar", data: data.on_time.early }
    ]
  });
  draw("chart-online", {
    grid: { left: 190, right: 40 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "value", max: 100 },
    yAxis: { type: "category", inverse: true, data: data.online.labels },
    series: [{ name: data.online.name, type: "bar", data: data.online.values,
               label: { show: true, position: "right" } }]
  });
  draw("chart-heat", {
    grid: { left: 50, bottom: 60 },
    xAxis: { type: "category", data: data.heat.hours, splitArea: { show: true } },
    yAxis: { type: "category", data: data.heat.weekdays, splitArea: { show: true } },
    visualMap: { min: 0, max: Math.max(1, data.heat.peak), calculable: true,
                 orient: "horizontal", left: "center", bottom: 0 },
    series: [{ name: data.heat.name, type: "heatmap", data: data.heat.cells }]
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
