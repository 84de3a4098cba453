package dev.registrymesh.mirror.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BearerChallengeTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/ubuntu:pull\" | bearer | https://auth.docker.io/token | registry.docker.io | repository:library/ubuntu:pull",
            "Bearer realm=\"http://127.0.0.1:5001/token\",service=\"mesh\" | bearer | http://127.0.0.1:5001/token | mesh | ",
            "bearer realm=https://x/token, service=reg | bearer | https://x/token | reg | ",
            "Bearer realm=\"r\",error=\"insufficient_scope\",scope=\"repository:a/b:pull,push\" | bearer | r | | repository:a/b:pull,push",
            "Basic realm=\"Registry Realm\" | basic | Registry Realm | | ",
    })
    void parses(String header, String scheme, String realm, String service, String scope) {
        BearerChallenge challenge = BearerChallenge.parse(header);
        assertEquals(scheme, challenge.scheme());
        assertEquals(realm, challenge.realm());
        assertEquals(service, challenge.service());
        assertEquals(scope, challenge.scope());
    }
}
