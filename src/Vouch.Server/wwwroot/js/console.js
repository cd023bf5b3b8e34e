// The technicians' console stays current: when the hub says a caller check appeared or changed, the rows are fetched
// again, rendered by the server for this member (so a code claimed by someone else never reaches this page).
(function () {
    "use strict";

    const live = document.getElementById("tv-live");
    const alert = document.getElementById("tv-alert");
    if (!live || !window.vouchHub) {
        return;
    }

    function refresh() {
        fetch(location.pathname + "?handler=Rows", { credentials: "same-origin", headers: { Accept: "text/html" } })
            .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
            .then(function (html) { live.innerHTML = html; })
            .catch(function () { /* the next change or a reload shows the truth */ });
    }

    window.vouchHub({
        technicianVerificationChanged: function (change) {
            if (change && change.alert && alert) {
                alert.hidden = false;
            }
            refresh();
        },
    }, refresh, true);
})();
