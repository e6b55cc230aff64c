/* Pan and zoom for the server-drawn SVG charts: drag or arrow keys to move, wheel, pinch or
 * + and − to zoom, "Fit" to see the whole chart. It only changes the SVG's viewBox, so the
 * chart stays a vector drawing and the page stays fast with thousands of boxes. */
(function () {
  "use strict";

  function setup(viewer) {
    var canvas = viewer.querySelector(".chart-viewer__canvas");
    var svg = canvas && canvas.querySelector("svg");
    if (!svg) return;
    var full = svg.viewBox.baseVal;
    var whole = { x: full.x, y: full.y, w: full.width, h: full.height };
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    var view = { x: whole.x, y: whole.y, w: whole.w, h: whole.h };

    function apply() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
      viewer.dataset.zoom = (whole.w / view.w).toFixed(3);
    }

    function fit() {
      view = { x: whole.x, y: whole.y, w: whole.w, h: whole.h };
      // Very tall charts (descendants of thousands) start readable at the top, not as a speck.
      var box = canvas.getBoundingClientRect();
      var aspect = box.width / Math.max(box.height, 1);
      if (whole.h > whole.w * 4 && box.width > 0) {
        view.w = Math.min(whole.w, 1400);
        view.h = view.w / aspect;
      }
      apply();
    }

    function zoom(factor, cx, cy) {
      var box = canvas.getBoundingClientRect();
      var px = cx === undefined ? 0.5 : (cx - box.left) / box.width;
      var py = cy === undefined ? 0.5 : (cy - box.top) / box.height;
      var w = Math.min(Math.max(view.w / factor, whole.w / 200), whole.w * 4);
      var h = view.h * (w / view.w);
      view.x += (view.w - w) * px;
      view.y += (view.h - h) * py;
      view.w = w;
      view.h = h;
      apply();
    }

    function pan(dx, dy) {
      var box = canvas.getBoundingClientRect();
      var scale = Math.max(view.w / box.width, view.h / box.height);
      view.x -= dx * scale;
      view.y -= dy * scale;
      apply();
    }

    viewer.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var what = button.getAttribute("data-zoom");
        if (what === "in") zoom(1.25);
        else if (what === "out") zoom(0.8);
        else fit();
      });
    });

    canvas.addEventListener("wheel", function (event) {
      event.preventDefault();
      zoom(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX, event.clientY);
    }, { passive: false });

    var pointers = new Map();
    var pinch = 0;
    var moved = false;
    canvas.addEventListener("pointerdown", function (event) {
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      moved = false;
      canvas.classList.add("is-dragging");
    });
    canvas.addEventListener("pointermove", function (event) {
      var last = pointers.get(event.pointerId);
      if (!last) return;
      if (pointers.size === 2) {
        var points = Array.from(pointers.values());
        var other = points[0] === last ? points[1] : points[0];
        var distance = Math.hypot(event.clientX - other.x, event.clientY - other.y);
        if (pinch) zoom(distance / pinch, (event.clientX + other.x) / 2, (event.clientY + other.y) / 2);
        pinch = distance;
      } else {
        var dx = event.clientX - last.x;
        var dy = event.clientY - last.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) {
          if (!moved) canvas.setPointerCapture(event.pointerId);
          moved = true;
        }
        if (moved) pan(dx, dy);
      }
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    });
    function release(event) {
      pointers.delete(event.pointerId);
      if (pointers.size < 2) pinch = 0;
      if (!pointers.size) canvas.classList.remove("is-dragging");
    }
    canvas.addEventListener("pointerup", release);
    canvas.addEventListener("pointercancel", release);
    // A drag must not follow the link under the pointer.
    canvas.addEventListener("click", function (event) {
      if (moved) { event.preventDefault(); moved = false; }
    }, true);

    canvas.addEventListener("keydown", function (event) {
      var step = 40;
      var keys = {
        "+": function () { zoom(1.25); }, "=": function () { zoom(1.25); },
        "-": function () { zoom(0.8); }, "0": fit,
        ArrowLeft: function () { pan(step, 0); }, ArrowRight: function () { pan(-step, 0); },
        ArrowUp: function () { pan(0, step); }, ArrowDown: function () { pan(0, -step); }
      };
      if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
    });

    fit();
  }

  document.querySelectorAll("[data-chart-viewer]").forEach(setup);
})();
