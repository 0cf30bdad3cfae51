/* /api/docs/: start Redoc on the schema named by #redoc's data attribute.
   A static file, not inline script, so that the page runs under the site's CSP; Redoc
   puts the script's nonce on the style elements it creates. */
"use strict";

(function () {
  // Redoc's menu shows Redocly's logo from Redocly's servers, which the CSP would refuse:
  // the image is not even asked for, so the page asks nothing of another site.
  const offSite = (value) =>
    /^(https?:)?\/\//i.test(String(value)) && !String(value).startsWith(location.origin);
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLImageElement && name === "src" && offSite(value)) return undefined;
    return setAttribute.call(this, name, value);
  };
  const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    ...src,
    set(value) {
      if (!offSite(value)) src.set.call(this, value);
    },
  });

  const root = document.getElementById("redoc");
  const nonce = document.currentScript && document.currentScript.nonce;
  Redoc.init(
    root.dataset.schemaUrl,
    {
      nonce: nonce || undefined,
      hideDownloadButton: false,
      // Its search runs in a worker made from a blob: URL, which the CSP (rightly) refuses.
      disableSearch: true,
      // perfect-scrollbar's style element is created before Redoc knows the nonce.
      nativeScrollbars: true,
      // The site's own colours; links and text at 4.5:1 or more on their backgrounds.
      theme: {
        colors: { primary: { main: "#0b4f6c" }, text: { primary: "#1b2430", secondary: "#4f5b67" } },
        typography: {
          fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
          headings: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif' },
          code: { fontFamily: "ui-monospace, Menlo, Consolas, monospace" },
        },
      },
    },
    root,
  );
})();
