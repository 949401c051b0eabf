// Browsable API documentation: Swagger UI (served from our own static files) on /api/schema/.
(function () {
  "use strict";
  const root = document.getElementById("swagger-ui");
  const csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1];
  window.SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: true,
    requestInterceptor(request) {
      if (csrf) request.headers["X-CSRFToken"] = decodeURIComponent(csrf);
      return request;
    },
  });
})();
