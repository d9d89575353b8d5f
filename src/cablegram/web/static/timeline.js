// Draws weekly event counts (a dyad's or a story's): cooperation stacked above the zero line, conflict below.
(function () {
  var data = JSON.parse(document.getElementById("timeline-data").textContent);
  var canvas = document.getElementById("timeline-chart");
  if (!canvas || !data.weeks.length) { return; }
  var colours = {"verbal cooperation": "#5b9bd5", "material cooperation": "#1f6f43",
                 "verbal conflict": "#e39b3b", "material conflict": "#b42318"};
  var datasets = data.quads.map(function (q) {
    var sign = q.indexOf("conflict") >= 0 ? -1 : 1;
    return {label: q, backgroundColor: colours[q], stack: "events", maxBarThickness: 36,
            data: data.weeks.map(function (w) { return sign * w.counts[q]; })};
  });
  new Chart(canvas, {
    type: "bar",
    data: {labels: data.weeks.map(function (w) { return w.week; }), datasets: datasets},
    options: {
      maintainAspectRatio: false, animation: false,
      scales: {x: {stacked: true, title: {display: true, text: "week starting"}},
               y: {stacked: true, ticks: {precision: 0, callback: function (v) { return Math.abs(v); }},
                   title: {display: true, text: "events (conflict below zero)"}}},
      plugins: {tooltip: {callbacks: {label: function (c) { return c.dataset.label + ": " + Math.abs(c.raw); }}},
                legend: {position: "bottom"}}
    }
  });
})();
