/* The directory's map: an enhancement over the list of shops, which says everything without it.
 *
 * Settings come from data attributes of #carte and the markers from a JSON data block (json_script),
 * so that no inline script is needed (the Content-Security-Policy forbids them). Each marker is a real
 * link to the shop's page: reached with Tab, followed with Enter, named by the shop and its opening state.
 * Shop names are set as text, never as HTML.
 */
(function () {
  "use strict";

  var container = document.getElementById("carte");
  if (!container || typeof window.L === "undefined") {
    return;
  }
  var L = window.L;
  var data = container.dataset;
  var source = document.getElementById(data.markers);
  var shops = [];
  try {
    shops = source ? JSON.parse(source.textContent) : [];
  } catch (error) {
    return; // unreadable data: the list stays the page's content
  }

  container.hidden = false;
  var fallback = document.getElementById("carte-absente");
  if (fallback) {
    fallback.hidden = true;
  }
  var centre = (data.centre || "46.6,2.4").split(",").map(Number);
  var map = L.map(container, { zoomControl: false, scrollWheelZoom: false, maxZoom: 19 });
  L.control.zoom({ zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut }).addTo(map);
  if (data.tiles) {
    L.tileLayer(data.tiles, {
      attribution: data.attribution,
      maxZoom: 19,
      // Tile servers (OpenStreetMap's included) ask for the site's origin, and nothing more.
      referrerPolicy: "strict-origin-when-cross-origin"
    }).addTo(map);
  }

  function pin(shop) {
    var link = document.createElement("a");
    link.href = shop.url;
    link.className = "map-pin";
    var label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = shop.name + " — " + shop.state;
    link.appendChild(label);
    return link;
  }

  function tooltip(shop) {
    var text = document.createElement("span");
    var name = document.createElement("strong");
    name.textContent = shop.name;
    text.appendChild(name);
    text.appendChild(document.createElement("br"));
    text.appendChild(document.createTextNode(shop.state));
    return text;
  }

  var points = [];
  shops.forEach(function (shop) {
    var link = pin(shop);
    var marker = L.marker([shop.lat, shop.lng], {
      // The link inside is what takes focus; the marker itself stays out of the Tab order.
      keyboard: false,
      icon: L.divIcon({ html: link, className: "map-marker", iconSize: [28, 40], iconAnchor: [14, 38] })
    });
    marker.bindTooltip(tooltip(shop), { direction: "top", offset: [0, -36] });
    link.addEventListener("focus", function () { marker.openTooltip(); });
    link.addEventListener("blur", function () { marker.closeTooltip(); });
    marker.addTo(map);
    points.push([shop.lat, shop.lng]);
  });

  if (points.length) {
    map.fitBounds(points, { padding: [32, 32], maxZoom: 17 });
  } else {
    map.setView(centre, 16);
  }
  container.classList.add("map-ready");
})();
