/* The directory's map: an enhancement over the list of shops, which says everything without it.
 *
 * This file is small and loads with the page; Leaflet (about 40 KB compressed) and the shops (GeoJSON,
 * every shop of the filters, not one page) are fetched only when the map is wanted: when it comes near
 * the screen, or when "Voir la carte" is followed. Settings come from data attributes of #carte, so no
 * inline script is needed (the Content-Security-Policy forbids them).
 *
 * Each pin is a real link to the shop's page, named by the shop and its opening state. Accessibility
 * (RGAA 10.7, 10.13; WCAG 2.4.3, 1.4.13):
 * - only the pins inside the visible map are in the Tab order (and exposed); the others are inert;
 * - a preview (name, trade, opening state, link) opens on hover and on focus, stays while the pointer is
 *   over it, closes with Escape, and is placed on the side that covers the fewest other pins;
 * - on a touch screen the first tap on a pin opens its preview, whose link leads to the shop.
 * Shop names are set as text, never as HTML.
 */
(function () {
  "use strict";

  var container = document.getElementById("carte");
  if (!container || !window.fetch || !window.Promise) {
    return;
  }
  var data = container.dataset;
  var section = container.parentNode;
  var showLink = document.getElementById("voir-carte");
  var started = false;

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function loadStyle(url) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    document.head.appendChild(link);
  }

  function fail() {
    var fallback = document.getElementById("carte-absente");
    if (fallback) {
      fallback.textContent = data.unavailable;
      fallback.hidden = false;
    }
    container.hidden = true;
  }

  function start() {
    if (started) {
      return;
    }
    started = true;
    loadStyle(data.leafletCss);
    var points = fetch(data.points, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    });
    Promise.all([window.L ? Promise.resolve() : loadScript(data.leafletJs), points])
      .then(function (results) {
        build(window.L, results[1].features || []);
      })
      .catch(fail);
  }

  if (showLink) {
    showLink.hidden = false;
    showLink.addEventListener("click", start);
  }
  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(
      function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          start();
        }
      },
      { rootMargin: "200px 0px" }
    );
    observer.observe(section);
  } else {
    start();
  }
  if (window.location.hash === "#carte-titre") {
    start();
  }

  // --- The map, once Leaflet and the shops are here ------------------------------------------------

  // Pin geometry (CSS .map-pin): 28 × 40 px, its tip on the shop's position.
  var PIN = { width: 28, height: 40, anchorX: 14, anchorY: 38 };
  // Where the preview goes around a pin, in order of preference, and Leaflet's offset for each.
  var SIDES = {
    top: [0, -PIN.anchorY],
    bottom: [0, PIN.height - PIN.anchorY],
    right: [PIN.anchorX, -PIN.height / 2],
    left: [-PIN.anchorX, -PIN.height / 2]
  };
  var ARROW = 6; // Leaflet's tooltip arrow, outside the box

  function build(L, features) {
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
        // Tile servers (OpenStreetMap's included) ask for the site's origin, and nothing more.
        referrerPolicy: "strict-origin-when-cross-origin"
      }).addTo(map);
    }

    var pins = [];
    var preview = null; // { pin, tooltip }
    var closing = null;
    var lastPointer = "mouse";

    function previewContent(shop) {
      var box = document.createElement("div");
      var name = document.createElement("a");
      name.href = shop.url;
      name.className = "map-preview-name";
      name.textContent = shop.name;
      name.lang = "fr";
      box.appendChild(name);
      [shop.trade, shop.state].forEach(function (text) {
        var line = document.createElement("p");
        line.textContent = text;
        box.appendChild(line);
      });
      var more = document.createElement("a");
      more.href = shop.url;
      more.className = "map-preview-link";
      more.textContent = data.openShop;
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " : " + shop.name;
      more.appendChild(hidden);
      box.appendChild(more);
      // A press in the preview is the preview's: the map neither takes the focus nor sees a click.
      L.DomEvent.disableClickPropagation(box);
      box.addEventListener("mouseenter", cancelClose);
      box.addEventListener("mouseleave", closeSoon);
      // Focus leaving the preview (other than back to its pin) closes it, as leaving the pin does.
      box.addEventListener("focusout", function (event) {
        var into = event.relatedTarget;
        if (preview && !(into && (box.contains(into) || into === preview.pin.link))) {
          close();
        }
      });
      return box;
    }

    function cancelClose() {
      if (closing) {
        window.clearTimeout(closing);
        closing = null;
      }
    }

    function closeSoon() {
      cancelClose();
      closing = window.setTimeout(close, 400);
    }

    function close() {
      cancelClose();
      if (preview) {
        var element = preview.tooltip.getElement();
        map.removeLayer(preview.tooltip);
        // Gone at once, not faded out: a closed preview must not linger for assistive technologies.
        if (element && element.parentNode) {
          element.parentNode.removeChild(element);
        }
        preview.pin.link.removeAttribute("aria-expanded");
        preview = null;
      }
    }

    function rect(x, y, width, height) {
      return { left: x, top: y, right: x + width, bottom: y + height };
    }

    function overlap(a, b) {
      return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    }

    // Where the preview goes on one side of the pin, slid along that side to stay inside the map when it
    // can: its box in the map's pixels, the offset Leaflet needs, and how much of it would still be cut off.
    function placement(side, point, width, height, size) {
      var offset = SIDES[side].slice();
      var x = point.x + offset[0];
      var y = point.y + offset[1];
      var box;
      if (side === "top") {
        box = rect(x - width / 2, y - height - ARROW, width, height);
      } else if (side === "bottom") {
        box = rect(x - width / 2, y + ARROW, width, height);
      } else if (side === "right") {
        box = rect(x + ARROW, y - height / 2, width, height);
      } else {
        box = rect(x - width - ARROW, y - height / 2, width, height);
      }
      var margin = 4;
      var vertical = side === "top" || side === "bottom";
      var low = vertical ? box.left : box.top;
      var high = vertical ? box.right : box.bottom;
      var limit = vertical ? size.x : size.y;
      var slide = Math.max(0, margin - low) - Math.max(0, high - (limit - margin));
      if (vertical) {
        offset[0] += slide;
        box = rect(box.left + slide, box.top, width, height);
      } else {
        offset[1] += slide;
        box = rect(box.left, box.top + slide, width, height);
      }
      var cut =
        Math.max(0, -box.left) + Math.max(0, -box.top) +
        Math.max(0, box.right - size.x) + Math.max(0, box.bottom - size.y);
      return { side: side, box: box, offset: offset, slide: slide, cut: cut };
    }

    // The side of the pin where the preview stays inside the map (a preview cut off helps nobody) and
    // covers the fewest other visible pins; the first of SIDES when several are as good.
    function bestPlacement(pin, width, height) {
      var size = map.getSize();
      var here = map.latLngToContainerPoint(pin.latlng);
      var others = pins
        .filter(function (other) { return other !== pin && other.visible; })
        .map(function (other) {
          var point = map.latLngToContainerPoint(other.latlng);
          return rect(point.x - PIN.anchorX, point.y - PIN.anchorY, PIN.width, PIN.height);
        });
      var best = null;
      Object.keys(SIDES).forEach(function (side) {
        var candidate = placement(side, here, width, height, size);
        var covered = others.filter(function (other) { return overlap(candidate.box, other); }).length;
        candidate.score = candidate.cut * 1000 + covered;
        if (best === null || candidate.score < best.score) {
          best = candidate;
        }
      });
      return best;
    }

    function open(pin) {
      cancelClose();
      if (preview && preview.pin === pin) {
        return;
      }
      close();
      var tooltip = L.tooltip({
        direction: "top",
        offset: SIDES.top,
        interactive: true,
        // Closed by this script only: Leaflet would close it on any click, the tap that opened it included.
        permanent: true,
        className: "map-preview",
        opacity: 1
      })
        .setLatLng(pin.latlng)
        .setContent(previewContent(pin.shop))
        .addTo(map);
      var element = tooltip.getElement();
      var best = bestPlacement(pin, element.offsetWidth, element.offsetHeight);
      tooltip.options.direction = best.side;
      tooltip.options.offset = best.offset;
      tooltip.update();
      element.setAttribute("data-side", best.side);
      // The arrow still points at the pin when the box slid along its side.
      element.style.setProperty("--arrow-shift", -best.slide + "px");
      pin.link.setAttribute("aria-expanded", "true");
      preview = { pin: pin, tooltip: tooltip };
    }

    // RGAA 10.7: a pin outside the visible map is neither reached with Tab nor read out.
    function syncVisible() {
      var bounds = map.getBounds();
      pins.forEach(function (pin) {
        var visible = bounds.contains(pin.latlng);
        pin.visible = visible;
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
      if (preview && !preview.pin.visible) {
        close();
      }
    }

    features.forEach(function (feature) {
      var shop = feature.properties;
      var coordinates = feature.geometry.coordinates;
      var link = document.createElement("a");
      link.href = shop.url;
      link.className = "map-pin";
      // Named by the shop (French, whatever the page's language) and its opening state (the page's).
      var label = document.createElement("span");
      label.className = "visually-hidden";
      var name = document.createElement("span");
      name.lang = "fr";
      name.textContent = shop.name;
      label.appendChild(name);
      label.appendChild(document.createTextNode(" — " + shop.state));
      link.appendChild(label);
      var latlng = L.latLng(coordinates[1], coordinates[0]);
      var marker = L.marker(latlng, {
        // The link inside is what takes focus; the marker itself stays out of the Tab order.
        keyboard: false,
        icon: L.divIcon({
          html: link,
          className: "map-marker",
          iconSize: [PIN.width, PIN.height],
          iconAnchor: [PIN.anchorX, PIN.anchorY]
        })
      });
      var pin = { shop: shop, link: link, latlng: latlng, marker: marker, visible: true };
      // Hover means a mouse: a finger's "hover" is the tap handled below.
      link.addEventListener("pointerenter", function (event) {
        if (event.pointerType === "mouse") {
          open(pin);
        }
      });
      link.addEventListener("pointerleave", function (event) {
        if (event.pointerType === "mouse") {
          closeSoon();
        }
      });
      link.addEventListener("focus", function () {
        if (lastPointer === "mouse") {
          open(pin);
        }
      });
      link.addEventListener("blur", function (event) {
        var into = event.relatedTarget;
        if (!(preview && into && preview.tooltip.getElement().contains(into))) {
          close();
        }
      });
      link.addEventListener("pointerdown", function (event) { lastPointer = event.pointerType; });
      // A touch screen has no hover: the first tap shows the preview (with its link), the next one follows.
      link.addEventListener("click", function (event) {
        if (lastPointer !== "mouse" && !(preview && preview.pin === pin)) {
          event.preventDefault();
          open(pin);
        }
        lastPointer = "mouse";
      });
      marker.addTo(map);
      pins.push(pin);
    });

    document.addEventListener("keydown", function (event) {
      if ((event.key === "Escape" || event.key === "Esc") && preview) {
        var pin = preview.pin;
        var focusInside = preview.tooltip.getElement().contains(document.activeElement);
        close();
        if (focusInside) {
          pin.link.focus();
        }
      }
    });
    map.on("movestart zoomstart", close);
    // A tap or click on the map's background closes the preview; one on a pin or in the preview is theirs.
    map.on("click", function (event) {
      var target = event.originalEvent && event.originalEvent.target;
      if (!(target && target.closest && target.closest(".map-pin, .map-preview"))) {
        close();
      }
    });
    map.on("moveend zoomend resize", syncVisible);

    var points = pins.map(function (pin) { return pin.latlng; });
    if (points.length) {
      map.fitBounds(points, { padding: [32, 32], maxZoom: 17 });
    } else {
      map.setView(centre, 16);
    }
    syncVisible();
    container.classList.add("map-ready");
  }
})();
