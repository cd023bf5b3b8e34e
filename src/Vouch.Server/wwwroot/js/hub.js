// A minimal client of SignalR's JSON hub protocol over a WebSocket, for the pages that update live (the contact's shield,
// the technicians' console) without a client library or build step.
// Protocol: https://github.com/dotnet/aspnetcore/blob/main/src/SignalR/docs/specs/HubProtocol.md
// Usage: vouchHub({ methodName: function (argument) {…} }, resync, resyncOnFirstConnect) — resync runs when a dropped
// connection comes back, since changes made meanwhile were not pushed, and also on the first connection when asked (for
// pages where a change between rendering and connecting would otherwise be missed). While connected, the page's root
// element carries data-live="connected".
window.vouchHub = function (handlers, resync, resyncOnFirstConnect) {
    "use strict";

    if (!("WebSocket" in window)) {
        return;
    }

    const separator = "\u001e"; // every JSON hub message ends with the ASCII record separator
    const invocation = 1, ping = 6, close = 7;
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
            delete document.documentElement.dataset.live;
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
            document.documentElement.dataset.live = "connected";
            if (resync && (connectedBefore || resyncOnFirstConnect)) {
                resync();
            }
            connectedBefore = true;
            return;
        }
        if (message.type === close) {
            socket.close();
            return;
        }
        if (message.type === invocation && handlers[message.target]) {
            handlers[message.target](message.arguments && message.arguments[0]);
        }
    }

    connect();
};
