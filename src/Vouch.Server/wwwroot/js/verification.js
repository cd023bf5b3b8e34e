// Live shield on a contact's page: a minimal client of SignalR's JSON hub protocol over a WebSocket, so the shield turns
// green the moment the caller presses Validate, without a page reload and without a client library or build step.
// Protocol: https://github.com/dotnet/aspnetcore/blob/main/src/SignalR/docs/specs/HubProtocol.md
(function () {
    "use strict";

    const shield = document.getElementById("shield");
    if (!shield || !("WebSocket" in window)) {
        return;
    }

    const contactId = shield.dataset.contactId;
    const separator = "\u001e"; // every JSON hub message ends with the ASCII record separator
    const invocation = 1, ping = 6, close = 7;
    const labels = { none: "Not verified", pending: "Pending", verified: "Verified", failed: "Failed" };
    const channels = { sms_code: "SMS code", sms_link: "SMS link", email_code: "e-mail code", email_link: "e-mail link" };
    const keepAliveMs = 15000; // the server drops a client silent for 30 s
    const maxDelayMs = 30000;

    let delayMs = 1000;
    let connectedBefore = false;

    function connect() {
        // SignalR accepts a WebSocket straight away (no negotiate request); the page's cookie authenticates it.
        const scheme = location.protocol === "https:" ? "wss://" : "ws://";
        const socket = new WebSocket(scheme + location.host + "/hubs/verifications");
        let buffer = "";
        let keepAlive = 0;

        socket.onopen = function () {
            socket.send(JSON.stringify({ protocol: "json", version: 1 }) + separator);
            keepAlive = setInterval(function () { socket.send(JSON.stringify({ type: ping }) + separator); }, keepAliveMs);
        };

        socket.onmessage = function (event) {
            buffer += event.data;
            const frames = buffer.split(separator);
            buffer = frames.pop(); // an incomplete frame waits for the rest
            for (const frame of frames) {
                if (frame) {
                    receive(JSON.parse(frame), socket);
                }
            }
        };

        socket.onclose = function () {
            clearInterval(keepAlive);
            setTimeout(connect, delayMs);
            delayMs = Math.min(delayMs * 2, maxDelayMs);
        };
    }

    function receive(message, socket) {
        if (message.type === undefined) {
            // The handshake answer: {} when accepted, { error } when not.
            if (message.error) {
                socket.close();
                return;
            }
            delayMs = 1000;
            if (connectedBefore) {
                resync(); // changes made while the socket was down were not pushed
            }
            connectedBefore = true;
            return;
        }
        if (message.type === ping) {
            return;
        }
        if (message.type === close) {
            socket.close();
            return;
        }
        if (message.type === invocation && message.target === "verificationChanged") {
            const change = message.arguments && message.arguments[0];
            if (change && change.contactId === contactId) {
                show(change);
            }
        }
    }

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

    connect();
})();
