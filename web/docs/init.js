// Starts Swagger UI on /docs for the gateway's /openapi.json. A file of its
// own because the page's Content-Security-Policy allows no inline script.
// Try-it requests go out with the browser's session cookie (sign in to the app
// at /app/signin first); unsafe ones also carry the session's CSRF token, read
// from GET /auth/session, as services/gateway/web/session.py requires.
"use strict";
(function () {
  var UNSAFE = /^(POST|PUT|PATCH|DELETE)$/i;
  var who = document.getElementById("who");
  var csrf = null;

  function session() {
    return fetch("/auth/session", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .catch(function () { return null; });
  }

  function csrfToken() {
    if (csrf) return Promise.resolve(csrf);
    return session().then(function (body) {
      csrf = body && body.csrf_token ? body.csrf_token : null;
      return csrf;
    });
  }

  session().then(function (body) {
    if (body && body.csrf_token) {
      csrf = body.csrf_token;
      who.textContent = "已登录：" + body.display_name + "（" + body.username + "，" + body.role + "）。“Try it out” 以此身份发送请求。";
    } else {
      who.textContent = "未登录：只有公开接口会应答。请先在应用中登录，再回到本页刷新。";
    }
  });

  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // Tags start closed. Swagger UI (5.35) virtualises the operations list once
    // it reaches 150 rows (tag headings plus operations): only the rows in view
    // are in the page, so the browser's find and a deep look at one operation
    // miss the rest. This document has 151 operations under 12 tags; with the
    // tags closed the list is 12 rows and an opened tag shows all of its own.
    docExpansion: "none",
    validatorUrl: null, // the default sends the document to validator.swagger.io
    withCredentials: true,
    requestInterceptor: function (request) {
      if (!UNSAFE.test(request.method || "")) return request;
      return csrfToken().then(function (token) {
        if (token) request.headers["X-CSRF-Token"] = token;
        return request;
      });
    },
  });
})();
