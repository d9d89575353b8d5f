// Draws the page's events on a map of country borders bundled with the app (no tile server). Every value from
// an article is put on the page as text (textContent), never as HTML.
(function () {
  var box = document.getElementById("event-map");
  if (!box || typeof L === "undefined") { return; }
  var places = JSON.parse(document.getElementById("map-data").textContent);
  var colours = {"verbal cooperation": "#5b9bd5", "material cooperation": "#1f6f43",
                 "verbal conflict": "#e39b3b", "material conflict": "#b42318"};
  var map = L.map(box, {worldCopyJump: true, minZoom: 1, maxZoom: 8, zoomSnap: 0.5, fadeAnimation: false});
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Borders: Natural Earth");
  map.setView([30, 20], 1);

  // A ring that crosses the antimeridian (eastern Russia, Fiji) jumps from +180 to -180: drawn as is, it strikes
  // across the whole map, so its western longitudes are carried on past +180. Antarctica, which rings the globe,
  // is left out.
  function unwrap(geometry) {
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    polygons.forEach(function (polygon) {
      polygon.forEach(function (ring) {
        var jumps = ring.some(function (p, k) { return k > 0 && Math.abs(p[0] - ring[k - 1][0]) > 180; });
        if (jumps) { ring.forEach(function (p) { if (p[0] < 0) { p[0] += 360; } }); }
      });
    });
  }

  fetch("/static/topojson/countries-110m.json").then(function (r) { return r.json(); }).then(function (world) {
    var countries = topojson.feature(world, world.objects.countries);
    countries.features = countries.features.filter(function (f) { return f.geometry && f.id !== "010"; });
    countries.features.forEach(function (f) { unwrap(f.geometry); });
    L.geoJSON(countries, {
      style: {color: "#98a2b3", weight: 0.7, fillColor: "#eef1f5", fillOpacity: 1}, interactive: false
    }).addTo(map).bringToBack();
  });

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) { el.className = cls; }
    return el;
  }

  function popup(place) {
    var root = document.createElement("div");
    root.className = "map-popup";
    root.appendChild(text("strong", place.place || "unnamed place"));
    var list = document.createElement("ul");
    place.events.slice(0, 12).forEach(function (ev) {
      var item = document.createElement("li");
      var link = text("a", ev.type);
      link.href = "/events/" + encodeURIComponent(ev.id);
      item.appendChild(link);
      var who = (ev.actor || "?") + (ev.recipient ? " → " + ev.recipient : "");
      item.appendChild(text("span", " " + who + " · " + (ev.date || "undated")));
      if (ev.outlets.length) { item.appendChild(text("span", " · " + ev.outlets.join(", "), "muted")); }
      list.appendChild(item);
    });
    root.appendChild(list);
    if (place.events.length > 12) { root.appendChild(text("p", (place.events.length - 12) + " more in the list")); }
    return root;
  }

  var bounds = [];
  places.forEach(function (place) {
    var quad = place.events[0].quad;
    var marker = L.circleMarker([place.lat, place.lon], {
      radius: Math.min(14, 5 + 2 * Math.sqrt(place.events.length)), color: "#1d2430", weight: 1,
      fillColor: colours[quad] || "#667085", fillOpacity: 0.85
    }).addTo(map);
    marker.bindPopup(popup(place));
    marker.bindTooltip(text("span", (place.place || "") + ": " + place.events.length + " event(s)"));
    bounds.push([place.lat, place.lon]);
  });
  if (bounds.length) { map.fitBounds(bounds, {padding: [30, 30], maxZoom: 4, animate: false}); }
  box.leafletMap = map;  // lets tests find the markers
})();
