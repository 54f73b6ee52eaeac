// The API documentation page (/docs): Swagger UI over the app's OpenAPI document, from racedesk's
// own files (static/vendor/swagger-ui-bundle.js), with no inline script (the pages' CSP).
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: document.body.dataset.openapi,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
  });
});
