/* Housing choropleth map (Leaflet 1.9, global L). No inline script: config is read
 * from a json_script element whose id is in the map element's data-config attribute. */
(function () {
  "use strict";

  var POINT_STYLES = {
    proposed: { color: "#1f77b4", fillColor: "#1f77b4", fillOpacity: 0 },
    accepted: { color: "#2ca02c", fillColor: "#2ca02c", fillOpacity: 0.9 },
    housed: { color: "#555555", fillColor: "#555555", fillOpacity: 0.9 },
  };
  var NO_DATA = "#cccccc";

  // Small DOM helper: element with class and plain-text content (never innerHTML).
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // Colour of the last legend step whose min_value <= value.
  function colourFor(value, steps) {
    var colour = NO_DATA;
    if (typeof value !== "number" || isNaN(value)) return colour;
    steps.forEach(function (step) {
      if (step[0] <= value) colour = step[1];
    });
    return colour;
  }

  function legendControl(config, kinds) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = el("div", "housing-map-legend");
      var legend = config.legend || {};
      if (legend.title) box.appendChild(el("div", "housing-map-legend-title", legend.title));
      (legend.steps || []).forEach(function (step) {
        var row = el("div", "housing-map-legend-row");
        var swatch = el("span", "housing-map-legend-swatch");
        swatch.style.backgroundColor = step[1];
        row.appendChild(swatch);
        row.appendChild(el("span", "housing-map-legend-text", step[2]));
        box.appendChild(row);
      });
      if (kinds.length) {
        var block = el("div", "housing-map-legend-points");
        kinds.forEach(function (kind) {
          var row = el("div", "housing-map-legend-row");
          var dot = el("span", "housing-map-legend-dot housing-map-legend-dot--" + kind);
          dot.style.borderColor = POINT_STYLES[kind].color;
          dot.style.backgroundColor = POINT_STYLES[kind].fillOpacity ? POINT_STYLES[kind].fillColor : "transparent";
          row.appendChild(dot);
          row.appendChild(el("span", "housing-map-legend-text", (config.point_labels || {})[kind] || kind));
          block.appendChild(row);
        });
        box.appendChild(block);
      }
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    return control;
  }

  function initMap(node) {
    var source = document.getElementById(node.getAttribute("data-config"));
    if (!source) return;
    var config = JSON.parse(source.textContent);
    var hasTiles = !!config.tiles;
    var steps = (config.legend && config.legend.steps) || [];

    var map = L.map(node, { attributionControl: hasTiles, zoomSnap: 0.25 });
    if (hasTiles) {
      L.tileLayer(config.tiles, { attribution: config.attribution || "", maxZoom: 18 }).addTo(map);
    }

    // Areas: filled by value, hover tooltip with bold name + formatted label.
    var areas = L.geoJSON(config.areas, {
      style: function (feature) {
        return {
          fillColor: colourFor(feature.properties.value, steps),
          weight: 1,
          color: "#333",
          fillOpacity: hasTiles ? 0.55 : 0.75,
        };
      },
      onEachFeature: function (feature, layer) {
        var tip = el("div", "housing-map-tooltip");
        tip.appendChild(el("strong", null, feature.properties.name));
        if (feature.properties.label) tip.appendChild(el("div", null, feature.properties.label));
        layer.bindTooltip(tip, { sticky: true });
      },
    });

    // Set the view before adding vector layers (Leaflet's renderer needs one).
    var bounds = areas.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
    else map.setView([57.048, 9.919], 10);
    areas.addTo(map);

    // Points (placements etc.), drawn above the areas.
    var kinds = [];
    (config.points || []).forEach(function (p) {
      var style = POINT_STYLES[p.status];
      if (!style) return;
      if (kinds.indexOf(p.status) < 0) kinds.push(p.status);
      var marker = L.circleMarker([p.lat, p.lon], L.extend({ radius: 5, weight: 2, fill: true }, style));
      if (p.label) marker.bindTooltip(el("span", null, p.label));
      marker.addTo(map);
    });
    kinds.sort(function (a, b) {
      return Object.keys(POINT_STYLES).indexOf(a) - Object.keys(POINT_STYLES).indexOf(b);
    });
    legendControl(config, kinds).addTo(map);

    // Permanent name labels, shown only where the area is big enough on screen.
    var labels = [];
    areas.eachLayer(function (layer) {
      var label = L.tooltip({ permanent: true, direction: "center", className: "housing-map-label", interactive: false })
        .setLatLng(layer.getCenter())
        .setContent(el("span", null, layer.feature.properties.name));
      labels.push({ layer: layer, label: label, name: layer.feature.properties.name });
    });
    function updateLabels() {
      labels.forEach(function (item) {
        var b = item.layer.getBounds();
        var ne = map.latLngToLayerPoint(b.getNorthEast());
        var sw = map.latLngToLayerPoint(b.getSouthWest());
        var fits = ne.x - sw.x >= item.name.length * 7 + 12 && sw.y - ne.y >= 24;
        if (fits && !map.hasLayer(item.label)) item.label.addTo(map);
        else if (!fits && map.hasLayer(item.label)) map.removeLayer(item.label);
      });
    }
    map.on("zoomend", updateLabels);
    updateLabels();

    // Keep the map sized correctly when the window (and thus the container) changes.
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { map.invalidateSize(); }, 100);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-housing-map]"), initMap);
  });
})();
