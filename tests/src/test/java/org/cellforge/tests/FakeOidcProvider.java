package org.cellforge.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An OpenID Connect provider small enough to read: discovery, its signing key, and a token endpoint
 * for tests ({@code /token?groups=a,b&expiresIn=S&key=other}) that signs what it is asked for, with
 * its own key or, given {@code key=other}, with one it never published. The server under test is
 * pointed at it by configuration alone.
 */
public class FakeOidcProvider implements QuarkusTestResourceLifecycleManager {

    private HttpServer server;
    private RsaJsonWebKey key;
    private RsaJsonWebKey stranger;
    private String issuer;

    @Override
    public Map<String, String> start() {
        try {
            key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("cellforge-test");
            stranger = RsaJwkGenerator.generateJwk(2048);
            stranger.setKeyId("cellforge-test");
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        issuer = "http://localhost:" + server.getAddress().getPort() + "/realms/cellforge";
        server.createContext("/realms/cellforge/.well-known/openid-configuration", x -> send(x, """
                {"issuer": "%1$s", "jwks_uri": "%1$s/keys", "token_endpoint": "%1$s/token",
                 "authorization_endpoint": "%1$s/authorize", "id_token_signing_alg_values_supported": ["RS256"]}
                """.formatted(issuer)));
        server.createContext("/realms/cellforge/keys", x -> send(x, "{\"keys\": [" + key.toJson() + "]}"));
        server.createContext("/realms/cellforge/token", this::token);
        server.start();
        return Map.of("quarkus.oidc.tenant-enabled", "true", "quarkus.oidc.auth-server-url", issuer,
                "quarkus.oidc.client-id", "cellforge");
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(query.getOrDefault("sub", "someone"));
        claims.setClaim("preferred_username", query.getOrDefault("sub", "someone"));
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(Float.parseFloat(query.getOrDefault("expiresIn", "300")) / 60f);
        String groups = query.getOrDefault("groups", "");
        claims.setStringListClaim("groups", groups.isEmpty() ? List.of()
                : Arrays.asList(groups.split(",")));
        JsonWebSignature jws = new JsonWebSignature();
        RsaJsonWebKey signer = "other".equals(query.get("key")) ? stranger : key;
        jws.setKey(signer.getPrivateKey());
        jws.setKeyIdHeaderValue(signer.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setPayload(claims.toJson());
        try {
            send(exchange, jws.getCompactSerialization());
        } catch (JoseException e) {
            throw new IOException(e);
        }
    }

    private static void send(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(200, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
