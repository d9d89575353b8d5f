// Draws the overview's events per week, stacked by quad class; clicking a bar lists that week's events of that class.
(function () {
  var canvas = document.getElementById("weekly-chart");
  if (!canvas) { return; }
  var data = JSON.parse(document.getElementById("weekly-data").textContent);
  var colours = {"verbal cooperation": "#5b9bd5", "material cooperation": "#1f6f43",
                 "verbal conflict": "#e39b3b", "material conflict": "#b42318"};
  var datasets = data.quads.map(function (q) {
    return {label: q, backgroundColor: colours[q], stack: "events", maxBarThickness: 36,
            data: data.weeks.map(function (w) { return w.counts[q]; })};
  });
  function weekLink(index, quad) {
    var week = data.weeks[index];
    var params = new URLSearchParams({since: week.week, until: week.until});
    if (quad) { params.set("quad", quad); }
    if (!data.merged) { params.set("per_report", "true"); }
    return "/search?" + params.toString();
  }
  new Chart(canvas, {
    type: "bar",
    data: {labels: data.weeks.map(function (w) { return w.week; }), datasets: datasets},
    options: {
      maintainAspectRatio: false, animation: false,
      onClick: function (event, elements) {
        if (elements.length) {
          window.location.href = weekLink(elements[0].index, data.quads[elements[0].datasetIndex]);
        }
      },
      onHover: function (event, elements) { canvas.style.cursor = elements.length ? "pointer" : "default"; },
      scales: {x: {stacked: true, title: {display: true, text: "week starting"}},
               y: {stacked: true, ticks: {precision: 0}, title: {display: true, text: "events"}}},
      plugins: {legend: {position: "bottom"}}
    }
  });
  canvas.weekLink = weekLink;  // for tests and keyboard users' scripts: the link a bar leads to
})();
