/* Photos are made smaller on the phone before they are queued: long edge at most 1600 px,
   JPEG quality 0.8 (never WebP: Safari silently writes PNG), turned upright from the EXIF
   orientation, which also drops EXIF and GPS. A file the browser cannot decode (HEIC on
   Chromium) is sent as it is and the server decides. The server re-processes every photo. */
(function (scope) {
  "use strict";
  const MAX_EDGE = 1600, QUALITY = 0.8;

  function decode(file) {
    return createImageBitmap(file, { imageOrientation: "from-image" })
      .catch((err) => (err && err.name === "TypeError" ? createImageBitmap(file) : Promise.reject(err)));
  }

  function draw(canvas, bitmap, width, height) {
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff"; // transparent parts of a PNG become white, not black
    ctx.fillRect(0, 0, width, height);
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(bitmap, 0, 0, width, height);
  }

  function encode(bitmap, width, height) {
    if (scope.OffscreenCanvas && OffscreenCanvas.prototype.convertToBlob) {
      const canvas = new OffscreenCanvas(width, height);
      draw(canvas, bitmap, width, height);
      return canvas.convertToBlob({ type: "image/jpeg", quality: QUALITY });
    }
    const canvas = Object.assign(document.createElement("canvas"), { width, height });
    draw(canvas, bitmap, width, height);
    return new Promise((resolve, reject) => canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error("toBlob"))), "image/jpeg", QUALITY));
  }

  const jpegName = (name) => `${(name || "photo").replace(/\.[^./]*$/, "") || "photo"}.jpg`;

  /* → Promise<{blob, name}> */
  function shrink(file) {
    const original = { blob: file, name: file.name || "photo" };
    if (!scope.createImageBitmap) return Promise.resolve(original);
    return decode(file).then((bitmap) => {
      const scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
      const width = Math.max(1, Math.round(bitmap.width * scale));
      const height = Math.max(1, Math.round(bitmap.height * scale));
      return encode(bitmap, width, height).then((blob) => {
        if (bitmap.close) bitmap.close();
        // Keep a small JPEG as it is rather than compress it twice.
        if (blob.type !== "image/jpeg" || (scale === 1 && file.type === "image/jpeg" && file.size <= blob.size)) {
          return original;
        }
        return { blob, name: jpegName(file.name) };
      });
    }).catch(() => original);
  }

  /* One photo at a time: a 12 MP bitmap alone takes 48 MB. */
  function shrinkAll(files) {
    return Array.from(files).reduce((done, file) => done.then((list) => shrink(file)
      .then((photo) => list.concat([photo]))), Promise.resolve([]));
  }

  scope.Shrink = { shrink, shrinkAll, MAX_EDGE };
})(self);
