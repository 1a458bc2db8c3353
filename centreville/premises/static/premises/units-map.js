/* The map of commercial units: an enhancement over the units list (the table alternative the page links
 * to), which says everything without it. Settings come from data attributes of #carte-locaux (the
 * Content-Security-Policy forbids inline scripts); the units come as GeoJSON from the page's own server.
 *
 * Each unit is a real link to its page, shaped and coloured by its state (premises.css) and named by its
 * reference, address and state. As on the shops' map (js/map.js): only the pins inside the visible map are
 * in the Tab order; a label opens on hover and on focus and closes with Escape. Text is set as text, never
 * as HTML.
 */
(function () {
  "use strict";

  var container = document.getElementById("carte-locaux");
  if (!container || !window.fetch || !window.L) {
    return;
  }
  var data = container.dataset;
  var L = window.L;

  function fail() {
    var fallback = document.getElementById("carte-absente");
    if (fallback) {
      fallback.textContent = data.unavailable;
      fallback.hidden = false;
    }
    container.hidden = true;
  }

  fetch(data.points, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    })
    .then(function (collection) {
      build(collection.features || []);
    })
    .catch(fail);

  function build(features) {
    container.hidden = false;
    var fallback = document.getElementById("carte-absente");
    if (fallback) {
      fallback.hidden = true;
    }
    var help = document.getElementById("carte-aide");
    if (help) {
      help.hidden = false;
      container.setAttribute("aria-describedby", help.id);
    }
    var centre = (data.centre || "46.6,2.4").split(",").map(Number);
    var map = L.map(container, { zoomControl: false, scrollWheelZoom: false, maxZoom: 19 });
    L.control.zoom({ zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut }).addTo(map);
    if (data.tiles) {
      L.tileLayer(data.tiles, {
        attribution: data.attribution,
        maxZoom: 19,
        referrerPolicy: "strict-origin-when-cross-origin"
      }).addTo(map);
    }

    var pins = [];
    features.forEach(function (feature) {
      var unit = feature.properties;
      var coordinates = feature.geometry.coordinates;
      var words = unit.reference + ", " + unit.address + " — " + unit.state_label;
      var link = document.createElement("a");
      link.href = unit.url;
      link.className = "unit-pin unit-state-" + unit.state;
      var shape = document.createElement("span");
      shape.className = "unit-shape";
      shape.setAttribute("aria-hidden", "true");
      link.appendChild(shape);
      var label = document.createElement("span");
      label.className = "visually-hidden";
      label.textContent = words;
      link.appendChild(label);
      var latlng = L.latLng(coordinates[1], coordinates[0]);
      var marker = L.marker(latlng, {
        keyboard: false,
        icon: L.divIcon({ html: link, className: "unit-marker", iconSize: [24, 24], iconAnchor: [12, 12] })
      });
      var tip = document.createElement("span");
      tip.textContent = words;
      marker.bindTooltip(tip, { direction: "top", offset: [0, -12], className: "unit-tooltip" });
      link.addEventListener("focus", function () { marker.openTooltip(); });
      link.addEventListener("blur", function () { marker.closeTooltip(); });
      marker.addTo(map);
      pins.push({ link: link, latlng: latlng, marker: marker });
    });

    // A pin outside the visible map is neither reached with Tab nor read out.
    function syncVisible() {
      var bounds = map.getBounds();
      pins.forEach(function (pin) {
        var visible = bounds.contains(pin.latlng);
        var icon = pin.marker.getElement();
        if (!visible && icon && icon.contains(document.activeElement)) {
          container.focus();
        }
        pin.link.tabIndex = visible ? 0 : -1;
        if (icon) {
          icon.inert = !visible;
          if (visible) {
            icon.removeAttribute("aria-hidden");
          } else {
            icon.setAttribute("aria-hidden", "true");
          }
        }
      });
    }

    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") {
        pins.forEach(function (pin) { pin.marker.closeTooltip(); });
      }
    });
    map.on("moveend zoomend resize", syncVisible);
    var points = pins.map(function (pin) { return pin.latlng; });
    if (points.length) {
      map.fitBounds(points, { padding: [24, 24], maxZoom: 18 });
    } else {
      map.setView(centre, 16);
    }
    syncVisible();
    container.classList.add("map-ready");
  }
})();
