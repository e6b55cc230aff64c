/* Maps of place pages and exhibitions: Leaflet (vendored, see ../vendor/leaflet/LICENSE) with
 * OpenStreetMap tiles. Each `.lh-map__canvas` carries its centre in data attributes; the page
 * already shows the coordinates and an OpenStreetMap link, so nothing is lost without it. */
(function () {
  "use strict";

  function init() {
    if (!window.L) { return; }
    document.querySelectorAll(".lh-map__canvas[data-lat][data-lon]").forEach(function (el) {
      var lat = parseFloat(el.dataset.lat);
      var lon = parseFloat(el.dataset.lon);
      var zoom = parseInt(el.dataset.zoom, 10) || 10;
      if (isNaN(lat) || isNaN(lon) || el.classList.contains("is-live")) { return; }
      el.classList.add("is-live");
      var map = window.L.map(el, { scrollWheelZoom: false }).setView([lat, lon], zoom);
      window.L.tileLayer("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", {
        maxZoom: 19,
        attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
      }).addTo(map);
      var label = el.dataset.label || "";
      window.L.marker([lat, lon], { title: label, alt: label, keyboard: true }).addTo(map);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
