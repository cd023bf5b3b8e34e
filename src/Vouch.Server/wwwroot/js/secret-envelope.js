// The browser's half of SecretEnvelope.cs, shared by the sender's page (secure-send.js) and the recipient's (secret.js):
// base64url without padding, and the AES-256-GCM key of an envelope — the link key itself, or with a passphrase
// PBKDF2-HMAC-SHA256(passphrase, link key ‖ salt, iterations).
window.secretEnvelope = {
    iterations: 600000,

    toBase64Url: function (bytes) {
        let binary = "";
        bytes.forEach(function (b) { binary += String.fromCharCode(b); });
        return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    },

    fromBase64Url: function (text) {
        const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
        const binary = atob(base64 + "===".slice((base64.length + 3) % 4));
        return Uint8Array.from(binary, function (c) { return c.charCodeAt(0); });
    },

    // usage: "encrypt" or "decrypt"; salt and iterations only with a passphrase.
    aesKey: async function (linkKey, passphrase, salt, iterations, usage) {
        if (!passphrase) {
            return crypto.subtle.importKey("raw", linkKey, "AES-GCM", false, [usage]);
        }
        const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveKey"]);
        const combined = new Uint8Array(linkKey.length + salt.length);
        combined.set(linkKey);
        combined.set(salt, linkKey.length);
        return crypto.subtle.deriveKey({ name: "PBKDF2", salt: combined, iterations: iterations, hash: "SHA-256" },
            material, { name: "AES-GCM", length: 256 }, false, [usage]);
    },
};
