/* /api/docs/: start Swagger UI on the schema named by #swagger-ui's data attributes.
   A static file, not inline script, so that the page runs under the site's CSP. */
"use strict";

(function () {
  const root = document.getElementById("swagger-ui");
  const csrfHeader = root.dataset.csrfHeader;
  const csrfToken = root.dataset.csrfToken;

  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // Never ask an outside validator about the schema: nothing leaves the site.
    validatorUrl: null,
    requestInterceptor: function (request) {
      // "Try it out" with a logged-in session: unsafe methods need the CSRF token.
      if (!["GET", "HEAD", "OPTIONS", undefined].includes(request.method) && csrfHeader && csrfToken) {
        request.headers[csrfHeader] = csrfToken;
      }
      return request;
    },
  });
})();
