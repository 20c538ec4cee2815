// QR scanning with the phone's rear camera: BarcodeDetector where the browser has it, else jsQR on canvas frames.

let jsqrLoading = null;
function loadJsQR() {
  if (globalThis.jsQR) return Promise.resolve(globalThis.jsQR);
  jsqrLoading ??= new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = '/vendor/jsqr/jsQR.js';
    s.onload = () => resolve(globalThis.jsQR);
    s.onerror = () => reject(new Error('jsQR did not load'));
    document.head.append(s);
  });
  return jsqrLoading;
}

async function detector() {
  if (!('BarcodeDetector' in globalThis)) return null;
  try {
    const formats = await globalThis.BarcodeDetector.getSupportedFormats();
    return formats.includes('qr_code') ? new globalThis.BarcodeDetector({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

/**
 * Starts the camera into `video` and calls onCode(text) once with the first QR code seen.
 * Returns stop(). Throws when there is no camera or the user refused it.
 */
export async function startScan(video, onCode) {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('no-camera');
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false });
  video.srcObject = stream;
  video.setAttribute('playsinline', '');
  video.muted = true;
  await video.play().catch(() => {});
  const bd = await detector();
  const decode = bd ? null : await loadJsQR();
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  let stopped = false;
  let timer = null;

  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    for (const t of stream.getTracks()) t.stop();
    video.srcObject = null;
  };

  const tick = async () => {
    if (stopped) return;
    let text = null;
    try {
      if (video.readyState >= 2 && video.videoWidth) {
        if (bd) {
          const found = await bd.detect(video);
          text = found[0]?.rawValue ?? null;
        } else {
          // Decoding a downscaled frame keeps a phone's CPU cool; labels fill much of the view when scanned.
          const scale = Math.min(1, 640 / video.videoWidth);
          canvas.width = Math.round(video.videoWidth * scale);
          canvas.height = Math.round(video.videoHeight * scale);
          ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
          const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
          text = decode(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
        }
      }
    } catch {
      text = null;
    }
    if (stopped) return;
    if (text) {
      stop();
      onCode(text);
      return;
    }
    timer = setTimeout(tick, 120);
  };
  tick();
  return stop;
}
