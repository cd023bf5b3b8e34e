// Secret link page: nothing is fetched until Reveal is pressed. The key is the link's fragment (never sent to the
// server); the server answers the Reveal post with the ciphertext ({"v":1,"iv","ct"}, AES-256-GCM), decrypted here.
(function () {
    "use strict";

    const form = document.getElementById("reveal");
    if (!form) {
        return;
    }

    const key = location.hash.slice(1);
    // The fragment would stay in the address bar and the history; it is needed only once.
    history.replaceState(null, "", location.pathname + location.search);

    function bytes(base64url) {
        const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
        const binary = atob(base64 + "===".slice((base64.length + 3) % 4));
        return Uint8Array.from(binary, function (c) { return c.charCodeAt(0); });
    }

    function show(id) {
        document.getElementById("secret-closed").hidden = true;
        document.getElementById(id).hidden = false;
    }

    form.addEventListener("submit", function (event) {
        event.preventDefault();
        form.querySelector("button").disabled = true;
        fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
            .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
            .then(function (envelope) {
                return crypto.subtle.importKey("raw", bytes(key), "AES-GCM", false, ["decrypt"])
                    .then(function (cryptoKey) { return crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes(envelope.iv) }, cryptoKey, bytes(envelope.ct)); });
            })
            .then(function (plain) {
                document.getElementById("secret-text").textContent = new TextDecoder().decode(plain);
                show("secret-open");
                document.getElementById("secret-copy").addEventListener("click", function () {
                    navigator.clipboard.writeText(document.getElementById("secret-text").textContent);
                });
            })
            .catch(function () { show("secret-gone"); });
    });
})();
