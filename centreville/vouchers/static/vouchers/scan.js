// The counter's camera: where the phone reads QR codes (BarcodeDetector and getUserMedia), a button fills the
// code field from the voucher's QR code. Without them nothing shows, and the code is typed.
(() => {
  "use strict";
  const box = document.querySelector("[data-voucher-scan]");
  const field = document.getElementById("id_code");
  if (!box || !field || !("BarcodeDetector" in window) || !navigator.mediaDevices?.getUserMedia) return;

  const start = box.querySelector("[data-scan-start]");
  const stop = box.querySelector("[data-scan-stop]");
  const video = box.querySelector("[data-scan-video]");
  const status = box.querySelector("[data-scan-status]");
  let stream = null;
  let timer = null;

  // The QR holds the code, or the voucher's wallet address ending with it.
  const codeOf = (text) => {
    const value = text.trim();
    if (!value.includes("/")) return value;
    let path = value;
    try { path = new URL(value, location.href).pathname; } catch (_error) { path = value.split(/[?#]/)[0]; }
    const parts = path.split("/").filter(Boolean);
    return parts.length ? decodeURIComponent(parts[parts.length - 1]) : "";
  };

  const halt = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  };

  window.BarcodeDetector.getSupportedFormats().then((formats) => {
    if (!formats.includes("qr_code")) return;
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    box.hidden = false;

    const look = async () => {
      if (!stream) return;
      try {
        const found = await detector.detect(video);
        const code = found.length ? codeOf(found[0].rawValue) : "";
        if (code) {
          field.value = code;
          status.textContent = `${status.dataset.read} ${code}`;
          halt();
          const amount = document.getElementById("id_amount");
          (amount || field).focus();
          return;
        }
      } catch (_error) { /* a frame not ready yet: the next one */ }
      timer = setTimeout(look, 250);
    };

    start.addEventListener("click", async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      } catch (_error) {
        status.textContent = status.dataset.failed;
        return;
      }
      video.srcObject = stream;
      video.hidden = false;
      start.hidden = true;
      stop.hidden = false;
      status.textContent = status.dataset.looking;
      await video.play().catch(() => {});
      look();
    });
    stop.addEventListener("click", halt);
    window.addEventListener("pagehide", halt);
  }).catch(() => {});
})();
