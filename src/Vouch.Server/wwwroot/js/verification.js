// Live shield on a contact's page: the shield turns green the moment the caller presses Validate, without a page reload
// (hub.js carries the hub messages).
(function () {
    "use strict";

    const shield = document.getElementById("shield");
    if (!shield || !window.vouchHub) {
        return;
    }

    const contactId = shield.dataset.contactId;
    const labels = { none: "Not verified", pending: "Pending", verified: "Verified", failed: "Failed" };
    const channels = { sms_code: "SMS code", sms_link: "SMS link", email_code: "e-mail code", email_link: "e-mail link" };

    function show(change) {
        const state = labels[change.shield] ? change.shield : "none";
        const pending = document.querySelector('.pending[data-verification-id="' + change.verificationId + '"]');
        shield.className = "shield shield-" + state;
        shield.dataset.shield = state;
        shield.querySelector(".shield-label").textContent = labels[state];
        shield.querySelector(".shield-detail").textContent = detail(state, change, pending);

        if (pending) {
            pending.querySelector(".pending-status").textContent = change.status;
            if (change.status !== "pending") {
                // The code box and Cancel no longer apply; the history shows the outcome on the next visit.
                pending.classList.add("done");
                pending.querySelectorAll("button, input").forEach(function (control) { control.disabled = true; });
            }
        }
    }

    function detail(state, change, pending) {
        const channel = channels[change.channel] || (pending ? pending.querySelector("strong").textContent : "");
        const via = channel ? " via " + channel : "";
        switch (state) {
            case "verified": {
                const by = change.verifiedBy && change.verifiedBy !== "contact" ? change.verifiedBy : "the contact";
                return "until " + time(change.verifiedUntil) + " by " + by + via;
            }
            case "pending":
                return "waiting for the contact" + (channel ? " (" + channel + ")" : "");
            case "failed":
                return "the last verification" + (channel ? " (" + channel + ")" : "") + " failed";
            default:
                return "the last verification is " + change.status;
        }
    }

    // Vouch shows UTC everywhere; an instant without a zone designator is UTC too.
    function time(value) {
        if (!value) {
            return "—";
        }
        const text = /[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : value + "Z";
        return new Date(text).toISOString().substring(11, 16) + " UTC";
    }

    function resync() {
        fetch(location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
            .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
            .then(function (html) {
                const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("shield");
                if (fresh) {
                    shield.className = fresh.className;
                    shield.dataset.shield = fresh.dataset.shield;
                    shield.innerHTML = fresh.innerHTML;
                }
            })
            .catch(function () { /* the next change or a reload shows the truth */ });
    }

    window.vouchHub({
        verificationChanged: function (change) {
            if (change && change.contactId === contactId) {
                show(change);
            }
        },
    }, resync);
})();
