/* Labour panel map: the catchment's communes shaded by people aged 20-64, and the premises.
   Data come from the page (json_script "labour-map-data"); no tile server unless GUICHET_TILE_URL is set. */
(function () {
  "use strict";
  var element = document.getElementById("labour-map");
  var source = document.getElementById("labour-map-data");
  if (!element || !source || typeof L === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#eef3fb", "#c6d8f0", "#8fb3e0", "#4f86c6", "#1f5aa6", "#0b3b78"];

  var values = data.communes.features
    .map(function (f) { return f.properties.population_20_64; })
    .filter(function (v) { return v !== null && v !== undefined; })
    .sort(function (a, b) { return a - b; });
  // Class limits at quantiles, so that a city does not leave every village in the same shade.
  var limits = [];
  for (var k = 1; k < colours.length; k += 1) {
    if (values.length) { limits.push(values[Math.min(values.length - 1, Math.floor(values.length * k / colours.length))]); }
  }
  function colour(value) {
    if (value === null || value === undefined) { return "#dddddd"; }
    var i = 0;
    while (i < limits.length && value >= limits[i]) { i += 1; }
    return colours[i];
  }
  function formatted(value) {
    return value === null || value === undefined ? "—" : Number(value).toLocaleString(document.documentElement.lang || "fr");
  }

  var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25 });
  if (data.tile_url) {
    L.tileLayer(data.tile_url, { maxZoom: 18 }).addTo(map);
  }
  var layer = L.geoJSON(data.communes, {
    style: function (feature) {
      return { color: "#5b6472", weight: 0.5, fillColor: colour(feature.properties.population_20_64), fillOpacity: 0.85 };
    },
    onEachFeature: function (feature, shape) {
      var p = feature.properties;
      shape.bindTooltip(p.name + " (" + p.insee + "): " + formatted(p.population_20_64) + " " + data.labels.people +
        " · " + formatted(p.distance_km) + " km");
    }
  });
  // Leaflet draws vector layers only once the map has a view: set it first.
  var centre = L.latLng(data.centre[0], data.centre[1]);
  var bounds = layer.getBounds();
  if (bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10] }); } else { map.setView(centre, 10); }
  layer.addTo(map);
  L.circle(centre, { radius: data.radius_km * 1000, color: "#a11c1c", weight: 1.5, fill: false, dashArray: "6 4" }).addTo(map);
  L.circleMarker(centre, { radius: 8, color: "#ffffff", weight: 2, fillColor: "#a11c1c", fillOpacity: 1 })
    .bindTooltip(data.premises, { permanent: false }).addTo(map);
  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "labour-legend");
    var title = document.createElement("strong");
    title.textContent = data.labels.legend;
    box.appendChild(title);
    var lower = values.length ? values[0] : 0;
    for (var i = 0; i < colours.length; i += 1) {
      var upper = i < limits.length ? limits[i] : (values.length ? values[values.length - 1] : 0);
      var row = document.createElement("div");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colours[i];
      row.appendChild(swatch);
      row.appendChild(document.createTextNode(" " + formatted(lower) + (i < limits.length ? " – " + formatted(upper) : " +")));
      box.appendChild(row);
      lower = upper;
    }
    return box;
  };
  legend.addTo(map);
}());
