/* The portal's map: Leaflet from the project's own static files, no tile server needed.
 *
 * Reads its configuration from <script id="map-config" type="application/json"> (Django's json_script):
 *   markers:  [{id, name, url, lat, lng, place, area, rent}] — the premises of the page, same filters as the table
 *   contours: [url, ...] — GeoJSON commune contours, one file per département, drawn as a light layer
 *   tileUrl:  a tile URL template (GUICHET_TILE_URL); empty: no background map, contours only
 */
(function () {
  "use strict";
  var element = document.getElementById("map");
  var configElement = document.getElementById("map-config");
  if (!element || !configElement || typeof L === "undefined") {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25 });
  element.classList.add("map-ready");

  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { maxZoom: 18, attribution: config.tileAttribution || "" }).addTo(map);
  }

  var contourStyle = {
    className: "commune-contour",
    color: "#7d8797",
    weight: 0.6,
    fillColor: "#e3e9f2",
    fillOpacity: 0.55,
    interactive: false,
  };
  var contours = L.featureGroup().addTo(map);

  function popupContent(marker) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.name;
    var title = document.createElement("strong");
    title.appendChild(link);
    box.appendChild(title);
    [marker.place, marker.area, marker.rent].forEach(function (text) {
      if (text) {
        box.appendChild(document.createElement("br"));
        box.appendChild(document.createTextNode(text));
      }
    });
    return box;
  }

  var markers = L.featureGroup().addTo(map);
  config.markers.forEach(function (marker) {
    L.marker([marker.lat, marker.lng], { title: marker.name, alt: marker.name, keyboard: true })
      .bindPopup(popupContent(marker))
      .addTo(markers);
  });

  function fit() {
    if (markers.getLayers().length > 1) {
      // Marker icons stand above their point: more room at the top.
      map.fitBounds(markers.getBounds(), {
        paddingTopLeft: [40, 60],
        paddingBottomRight: [40, 20],
        maxZoom: 12,
      });
    } else if (markers.getLayers().length === 1) {
      map.setView(markers.getLayers()[0].getLatLng(), 11);
    } else if (contours.getLayers().length) {
      map.fitBounds(contours.getBounds());
    }
  }

  // Until the contours arrive, show the markers (or France) so that the map is never blank.
  if (config.markers.length) {
    fit();
  } else {
    map.setView([46.6, 2.4], 5);
    var empty = document.createElement("p");
    empty.className = "map-empty";
    empty.textContent = element.getAttribute("data-empty-label") || "";
    element.appendChild(empty);
  }

  var pending = config.contours.map(function (url) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          // className and interactive act when a path is created, so they are layer options too.
          L.geoJSON(data, { style: contourStyle, className: "commune-contour", interactive: false }).addTo(
            contours
          );
        }
      })
      .catch(function () {
        /* contours are decoration: the markers and the table carry the information */
      });
  });
  Promise.all(pending).then(function () {
    contours.bringToBack();
    if (!config.markers.length) {
      fit();
    }
    element.setAttribute("data-contours-loaded", String(contours.getLayers().length));
  });
})();
