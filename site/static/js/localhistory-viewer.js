/* A small zoomable image viewer for items and exhibitions.
 *
 * Every `a.lh-zoomable` links to a large rendition, so without JavaScript the link simply opens
 * the image. With it, the link opens a modal <dialog>: zoom with the buttons, the + / - / 0 keys
 * or the mouse wheel, move the image by dragging or with the arrow keys, close with Escape or the
 * close button; focus returns to the link. */
(function () {
  "use strict";

  // Translated labels come from the page (#lh-viewer-text, written by the template).
  var source = document.getElementById("lh-viewer-text");
  var data = source ? source.dataset : {};
  var t = {
    zoomIn: data.zoomIn || "Zoom in",
    zoomOut: data.zoomOut || "Zoom out",
    reset: data.reset || "Reset zoom",
    close: data.close || "Close",
    hint: data.hint || "Zoom: + / −, move: arrow keys, close: Esc"
  };
  var MIN = 1, MAX = 8;

  var dialog, img, stage, state = { scale: 1, x: 0, y: 0 }, opener = null, drag = null;

  function button(cls, label, text) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "lh-viewer__button " + cls;
    b.setAttribute("aria-label", label);
    b.title = label;
    b.textContent = text;
    return b;
  }

  function apply() {
    img.style.transform = "translate(" + state.x + "px," + state.y + "px) scale(" + state.scale + ")";
  }

  function zoom(factor) {
    state.scale = Math.min(MAX, Math.max(MIN, state.scale * factor));
    if (state.scale === MIN) { state.x = 0; state.y = 0; }
    apply();
  }

  function reset() { state = { scale: 1, x: 0, y: 0 }; apply(); }

  function move(dx, dy) {
    if (state.scale === MIN) { return; }
    state.x += dx; state.y += dy; apply();
  }

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "lh-viewer";
    dialog.setAttribute("aria-label", t.hint);
    var bar = document.createElement("div");
    bar.className = "lh-viewer__bar";
    var zin = button("lh-viewer__in", t.zoomIn, "+");
    var zout = button("lh-viewer__out", t.zoomOut, "−");
    var zreset = button("lh-viewer__reset", t.reset, "1:1");
    var close = button("lh-viewer__close", t.close, "×");
    var hint = document.createElement("p");
    hint.className = "lh-viewer__hint";
    hint.textContent = t.hint;
    bar.append(zin, zout, zreset, hint, close);
    stage = document.createElement("div");
    stage.className = "lh-viewer__stage";
    img = document.createElement("img");
    img.className = "lh-viewer__image";
    img.draggable = false;
    stage.append(img);
    dialog.append(bar, stage);
    document.body.append(dialog);

    zin.addEventListener("click", function () { zoom(1.5); });
    zout.addEventListener("click", function () { zoom(1 / 1.5); });
    zreset.addEventListener("click", reset);
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () { if (opener) { opener.focus(); } });
    dialog.addEventListener("keydown", function (e) {
      var step = 40;
      switch (e.key) {
        case "+": case "=": zoom(1.5); break;
        case "-": case "_": zoom(1 / 1.5); break;
        case "0": reset(); break;
        case "ArrowLeft": move(step, 0); break;
        case "ArrowRight": move(-step, 0); break;
        case "ArrowUp": move(0, step); break;
        case "ArrowDown": move(0, -step); break;
        default: return;
      }
      e.preventDefault();
    });
    stage.addEventListener("wheel", function (e) {
      e.preventDefault();
      zoom(e.deltaY < 0 ? 1.2 : 1 / 1.2);
    }, { passive: false });
    stage.addEventListener("pointerdown", function (e) {
      drag = { x: e.clientX, y: e.clientY };
      stage.setPointerCapture(e.pointerId);
    });
    stage.addEventListener("pointermove", function (e) {
      if (!drag) { return; }
      move(e.clientX - drag.x, e.clientY - drag.y);
      drag = { x: e.clientX, y: e.clientY };
    });
    stage.addEventListener("pointerup", function () { drag = null; });
    stage.addEventListener("pointercancel", function () { drag = null; });
  }

  function open(link) {
    if (!dialog) { build(); }
    opener = link;
    var thumb = link.querySelector("img");
    img.alt = thumb ? thumb.alt : "";
    img.src = link.href;
    reset();
    dialog.showModal();
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a.lh-zoomable");
    if (!link || typeof HTMLDialogElement === "undefined" || e.ctrlKey || e.metaKey || e.shiftKey) {
      return;
    }
    e.preventDefault();
    open(link);
  });
})();
