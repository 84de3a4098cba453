package dev.registrymesh.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reference vectors for {@link ImageReference}, written from the Docker CLI's normalization rules, plus every case of
 * distribution/reference's normalize_test.go, reference_test.go and regexp_test.go (inputs and expected values
 * transcribed; there ParseNormalizedNamed and FamiliarString give the name and familiar form, we add tag "latest").
 * Where we differ on purpose, a comment above the row says so.
 * In the tables, {256} and {512} stand for a sha256 and a sha512 digest, {hex} for 64 bare hex digits (and {HEX} for
 * them in uppercase); {f64}, {f128}, {dbcc}, {86e0}, {e669}, {be17}, {1234}, {1a3f}, {da30} and {7ec4} are the hex
 * strings the upstream tests use.
 */
class ImageReferenceTest {
    static final String HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final String S256 = "sha256:" + HEX;
    static final String S512 = "sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
    static final Map<String, String> PLACEHOLDERS = Map.ofEntries(
            Map.entry("{256}", S256),
            Map.entry("{512}", S512),
            Map.entry("{hex}", HEX),
            Map.entry("{HEX}", HEX.toUpperCase(Locale.ROOT)),
            Map.entry("{f64}", "f".repeat(64)),
            Map.entry("{f128}", "f".repeat(128)),
            Map.entry("{dbcc}", "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c"),
            Map.entry("{86e0}", "86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"),
            Map.entry("{e669}", "e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582"),
            Map.entry("{be17}", "be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912"),
            Map.entry("{1234}", "1234567890098765432112345667890098765432112345667890098765432112"),
            Map.entry("{1a3f}", "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a"),
            Map.entry("{da30}", "da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf9821"),
            Map.entry("{7ec4}", "7EC43B381E5AEFE6E04EFB0B3F0693FF2A4A50652D64AEC573905F2DB5889A1C"));

    static String x(String s) {
        if (s == null) {
            return null;
        }
        for (Map.Entry<String, String> p : PLACEHOLDERS.entrySet()) {
            s = s.replace(p.getKey(), p.getValue());
        }
        return s;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
        # input                                | registry              | repository          | tag          | digest | canonical                                           | familiar                                 | familiarName
        # official images
        ubuntu                                 | docker.io             | library/ubuntu      | latest       |        | docker.io/library/ubuntu:latest                     | ubuntu:latest                            | ubuntu
        ubuntu:22.04                           | docker.io             | library/ubuntu      | 22.04        |        | docker.io/library/ubuntu:22.04                      | ubuntu:22.04                             | ubuntu
        ubuntu:latest                          | docker.io             | library/ubuntu      | latest       |        | docker.io/library/ubuntu:latest                     | ubuntu:latest                            | ubuntu
        busybox:1.36.1-musl                    | docker.io             | library/busybox     | 1.36.1-musl  |        | docker.io/library/busybox:1.36.1-musl               | busybox:1.36.1-musl                      | busybox
        redis:7.2-alpine                       | docker.io             | library/redis       | 7.2-alpine   |        | docker.io/library/redis:7.2-alpine                  | redis:7.2-alpine                         | redis
        python:3.12.1                          | docker.io             | library/python      | 3.12.1       |        | docker.io/library/python:3.12.1                     | python:3.12.1                            | python
        ubuntu:LATEST                          | docker.io             | library/ubuntu      | LATEST       |        | docker.io/library/ubuntu:LATEST                     | ubuntu:LATEST                            | ubuntu
        ubuntu:Mixed_Case.tag-1                | docker.io             | library/ubuntu      | Mixed_Case.tag-1 |    | docker.io/library/ubuntu:Mixed_Case.tag-1           | ubuntu:Mixed_Case.tag-1                  | ubuntu
        node:_private                          | docker.io             | library/node        | _private     |        | docker.io/library/node:_private                     | node:_private                            | node
        node:_                                 | docker.io             | library/node        | _            |        | docker.io/library/node:_                            | node:_                                   | node
        node:0                                 | docker.io             | library/node        | 0            |        | docker.io/library/node:0                            | node:0                                   | node
        node:1..2--3__4                        | docker.io             | library/node        | 1..2--3__4   |        | docker.io/library/node:1..2--3__4                   | node:1..2--3__4                          | node
        a                                      | docker.io             | library/a           | latest       |        | docker.io/library/a:latest                          | a:latest                                 | a
        0                                      | docker.io             | library/0           | latest       |        | docker.io/library/0:latest                          | 0:latest                                 | 0
        library/ubuntu                         | docker.io             | library/ubuntu      | latest       |        | docker.io/library/ubuntu:latest                     | ubuntu:latest                            | ubuntu
        library/ubuntu:20.04                   | docker.io             | library/ubuntu      | 20.04        |        | docker.io/library/ubuntu:20.04                      | ubuntu:20.04                             | ubuntu
        docker.io/ubuntu                       | docker.io             | library/ubuntu      | latest       |        | docker.io/library/ubuntu:latest                     | ubuntu:latest                            | ubuntu
        docker.io/library/ubuntu               | docker.io             | library/ubuntu      | latest       |        | docker.io/library/ubuntu:latest                     | ubuntu:latest                            | ubuntu
        docker.io/library/ubuntu:jammy         | docker.io             | library/ubuntu      | jammy        |        | docker.io/library/ubuntu:jammy                      | ubuntu:jammy                             | ubuntu
        index.docker.io/ubuntu                 | docker.io             | library/ubuntu      | latest       |        | docker.io/library/ubuntu:latest                     | ubuntu:latest                            | ubuntu
        index.docker.io/library/ubuntu:18.04   | docker.io             | library/ubuntu      | 18.04        |        | docker.io/library/ubuntu:18.04                      | ubuntu:18.04                             | ubuntu
        index.docker.io/alice/app:1.0          | docker.io             | alice/app           | 1.0          |        | docker.io/alice/app:1.0                             | alice/app:1.0                            | alice/app
        # namespaces
        alice/app                              | docker.io             | alice/app           | latest       |        | docker.io/alice/app:latest                          | alice/app:latest                         | alice/app
        alice/app:1.0                          | docker.io             | alice/app           | 1.0          |        | docker.io/alice/app:1.0                             | alice/app:1.0                            | alice/app
        docker.io/alice/app:1.0                | docker.io             | alice/app           | 1.0          |        | docker.io/alice/app:1.0                             | alice/app:1.0                            | alice/app
        alice/team/app:v2                      | docker.io             | alice/team/app      | v2           |        | docker.io/alice/team/app:v2                         | alice/team/app:v2                        | alice/team/app
        library/foo/bar                        | docker.io             | library/foo/bar     | latest       |        | docker.io/library/foo/bar:latest                    | library/foo/bar:latest                   | library/foo/bar
        docker.io/library/foo/bar:1            | docker.io             | library/foo/bar     | 1            |        | docker.io/library/foo/bar:1                         | library/foo/bar:1                        | library/foo/bar
        a/b/c/d/e/f/g                          | docker.io             | a/b/c/d/e/f/g       | latest       |        | docker.io/a/b/c/d/e/f/g:latest                      | a/b/c/d/e/f/g:latest                     | a/b/c/d/e/f/g
        my-org/my-app                          | docker.io             | my-org/my-app       | latest       |        | docker.io/my-org/my-app:latest                      | my-org/my-app:latest                     | my-org/my-app
        my_org/my__app                         | docker.io             | my_org/my__app      | latest       |        | docker.io/my_org/my__app:latest                     | my_org/my__app:latest                    | my_org/my__app
        a--b/c---d                             | docker.io             | a--b/c---d          | latest       |        | docker.io/a--b/c---d:latest                         | a--b/c---d:latest                        | a--b/c---d
        0/0                                    | docker.io             | 0/0                 | latest       |        | docker.io/0/0:latest                                | 0/0:latest                               | 0/0
        alice/{hex}                            | docker.io             | alice/{hex}         | latest       |        | docker.io/alice/{hex}:latest                        | alice/{hex}:latest                       | alice/{hex}
        # path separators
        a__b                                   | docker.io             | library/a__b        | latest       |        | docker.io/library/a__b:latest                       | a__b:latest                              | a__b
        a_b                                    | docker.io             | library/a_b         | latest       |        | docker.io/library/a_b:latest                        | a_b:latest                               | a_b
        a.b                                    | docker.io             | library/a.b         | latest       |        | docker.io/library/a.b:latest                        | a.b:latest                               | a.b
        a-b                                    | docker.io             | library/a-b         | latest       |        | docker.io/library/a-b:latest                        | a-b:latest                               | a-b
        a--b                                   | docker.io             | library/a--b        | latest       |        | docker.io/library/a--b:latest                       | a--b:latest                              | a--b
        a---b                                  | docker.io             | library/a---b       | latest       |        | docker.io/library/a---b:latest                      | a---b:latest                             | a---b
        a.b.c                                  | docker.io             | library/a.b.c       | latest       |        | docker.io/library/a.b.c:latest                      | a.b.c:latest                             | a.b.c
        a0.b1_c2__d3-e4                        | docker.io             | library/a0.b1_c2__d3-e4 | latest   |        | docker.io/library/a0.b1_c2__d3-e4:latest            | a0.b1_c2__d3-e4:latest                   | a0.b1_c2__d3-e4
        foo/a__b.c                             | docker.io             | foo/a__b.c          | latest       |        | docker.io/foo/a__b.c:latest                         | foo/a__b.c:latest                        | foo/a__b.c
        foo_bar/baz                            | docker.io             | foo_bar/baz         | latest       |        | docker.io/foo_bar/baz:latest                        | foo_bar/baz:latest                       | foo_bar/baz
        {hex}a                                 | docker.io             | library/{hex}a      | latest       |        | docker.io/library/{hex}a:latest                     | {hex}a:latest                            | {hex}a
        # hosts: a first part with '.' or ':', localhost, or an uppercase letter
        localhost/foo                          | localhost             | foo                 | latest       |        | localhost/foo:latest                                | localhost/foo:latest                     | localhost/foo
        localhost:5000/foo                     | localhost:5000        | foo                 | latest       |        | localhost:5000/foo:latest                           | localhost:5000/foo:latest                | localhost:5000/foo
        localhost:5000/a/b:tag                 | localhost:5000        | a/b                 | tag          |        | localhost:5000/a/b:tag                              | localhost:5000/a/b:tag                   | localhost:5000/a/b
        localhost/library/ubuntu               | localhost             | library/ubuntu      | latest       |        | localhost/library/ubuntu:latest                     | localhost/library/ubuntu:latest          | localhost/library/ubuntu
        localhost:5000                         | docker.io             | library/localhost   | 5000         |        | docker.io/library/localhost:5000                    | localhost:5000                           | localhost
        localhost                              | docker.io             | library/localhost   | latest       |        | docker.io/library/localhost:latest                  | localhost:latest                         | localhost
        example.com:5000                       | docker.io             | library/example.com | 5000         |        | docker.io/library/example.com:5000                  | example.com:5000                         | example.com
        gcr.io/project/image:v1                | gcr.io                | project/image       | v1           |        | gcr.io/project/image:v1                             | gcr.io/project/image:v1                  | gcr.io/project/image
        ghcr.io/owner/repo:sha-abc1234         | ghcr.io               | owner/repo          | sha-abc1234  |        | ghcr.io/owner/repo:sha-abc1234                      | ghcr.io/owner/repo:sha-abc1234           | ghcr.io/owner/repo
        quay.io/coreos/etcd:v3.5.0             | quay.io               | coreos/etcd         | v3.5.0       |        | quay.io/coreos/etcd:v3.5.0                          | quay.io/coreos/etcd:v3.5.0               | quay.io/coreos/etcd
        registry.example.com/team/app          | registry.example.com  | team/app            | latest       |        | registry.example.com/team/app:latest                | registry.example.com/team/app:latest     | registry.example.com/team/app
        registry.example.com:443/team/app:1    | registry.example.com:443 | team/app         | 1            |        | registry.example.com:443/team/app:1                 | registry.example.com:443/team/app:1      | registry.example.com:443/team/app
        my-registry.local:5000/app             | my-registry.local:5000 | app                | latest       |        | my-registry.local:5000/app:latest                   | my-registry.local:5000/app:latest        | my-registry.local:5000/app
        example.com/ubuntu                     | example.com           | ubuntu              | latest       |        | example.com/ubuntu:latest                           | example.com/ubuntu:latest                | example.com/ubuntu
        host:5000/app                          | host:5000             | app                 | latest       |        | host:5000/app:latest                                | host:5000/app:latest                     | host:5000/app
        ubuntu:1/extra                         | ubuntu:1              | extra               | latest       |        | ubuntu:1/extra:latest                               | ubuntu:1/extra:latest                    | ubuntu:1/extra
        1.2.3.4/app                            | 1.2.3.4               | app                 | latest       |        | 1.2.3.4/app:latest                                  | 1.2.3.4/app:latest                       | 1.2.3.4/app
        127.0.0.1:5000/a/b:1                   | 127.0.0.1:5000        | a/b                 | 1            |        | 127.0.0.1:5000/a/b:1                                | 127.0.0.1:5000/a/b:1                     | 127.0.0.1:5000/a/b
        a.b/c                                  | a.b                   | c                   | latest       |        | a.b/c:latest                                        | a.b/c:latest                             | a.b/c
        xn--bcher-kva.example/app              | xn--bcher-kva.example | app                 | latest       |        | xn--bcher-kva.example/app:latest                    | xn--bcher-kva.example/app:latest         | xn--bcher-kva.example/app
        a-b.c-d.example/x/y                    | a-b.c-d.example       | x/y                 | latest       |        | a-b.c-d.example/x/y:latest                          | a-b.c-d.example/x/y:latest               | a-b.c-d.example/x/y
        docker.io.example.com/app              | docker.io.example.com | app                 | latest       |        | docker.io.example.com/app:latest                    | docker.io.example.com/app:latest         | docker.io.example.com/app
        registry-1.docker.io/library/ubuntu    | registry-1.docker.io  | library/ubuntu      | latest       |        | registry-1.docker.io/library/ubuntu:latest          | registry-1.docker.io/library/ubuntu:latest | registry-1.docker.io/library/ubuntu
        # uppercase hosts are hosts, kept as written
        Registry.Example.COM/app               | Registry.Example.COM  | app                 | latest       |        | Registry.Example.COM/app:latest                     | Registry.Example.COM/app:latest          | Registry.Example.COM/app
        MyHost/app                             | MyHost                | app                 | latest       |        | MyHost/app:latest                                   | MyHost/app:latest                        | MyHost/app
        LOCALHOST:5000/app:v1                  | LOCALHOST:5000        | app                 | v1           |        | LOCALHOST:5000/app:v1                               | LOCALHOST:5000/app:v1                    | LOCALHOST:5000/app
        Docker.io/app                          | Docker.io             | app                 | latest       |        | Docker.io/app:latest                                | Docker.io/app:latest                     | Docker.io/app
        X/y                                    | X                     | y                   | latest       |        | X/y:latest                                          | X/y:latest                               | X/y
        # IPv6
        [::1]:5000/foo                         | [::1]:5000            | foo                 | latest       |        | [::1]:5000/foo:latest                               | [::1]:5000/foo:latest                    | [::1]:5000/foo
        [::1]/foo                              | [::1]                 | foo                 | latest       |        | [::1]/foo:latest                                    | [::1]/foo:latest                         | [::1]/foo
        [2001:db8::1]/foo                      | [2001:db8::1]         | foo                 | latest       |        | [2001:db8::1]/foo:latest                            | [2001:db8::1]/foo:latest                 | [2001:db8::1]/foo
        [2001:db8::1]:5000/foo/bar:1.0         | [2001:db8::1]:5000    | foo/bar             | 1.0          |        | [2001:db8::1]:5000/foo/bar:1.0                      | [2001:db8::1]:5000/foo/bar:1.0           | [2001:db8::1]:5000/foo/bar
        [2001:DB8::ABCD]:443/app               | [2001:DB8::ABCD]:443  | app                 | latest       |        | [2001:DB8::ABCD]:443/app:latest                     | [2001:DB8::ABCD]:443/app:latest          | [2001:DB8::ABCD]:443/app
        [fe80:0:0:0:0:0:0:1]/app               | [fe80:0:0:0:0:0:0:1]  | app                 | latest       |        | [fe80:0:0:0:0:0:0:1]/app:latest                     | [fe80:0:0:0:0:0:0:1]/app:latest          | [fe80:0:0:0:0:0:0:1]/app
        [::]/app                               | [::]                  | app                 | latest       |        | [::]/app:latest                                     | [::]/app:latest                          | [::]/app
        [1::]:1/app                            | [1::]:1               | app                 | latest       |        | [1::]:1/app:latest                                  | [1::]:1/app:latest                       | [1::]:1/app
        [::1]:5000/foo@{256}                   | [::1]:5000            | foo                 |              | {256}  | [::1]:5000/foo@{256}                                | [::1]:5000/foo@{256}                     | [::1]:5000/foo
        # 64 hex digits: refused only as the whole input (it could be an image id); as a name part they are a name
        docker.io/{hex}                        | docker.io             | library/{hex}       | latest       |                | docker.io/library/{hex}:latest                     | {hex}:latest                             | {hex}
        library/{hex}                          | docker.io             | library/{hex}       | latest       |                | docker.io/library/{hex}:latest                     | {hex}:latest                             | {hex}
        index.docker.io/{hex}                  | docker.io             | library/{hex}       | latest       |                | docker.io/library/{hex}:latest                     | {hex}:latest                             | {hex}
        docker.io/library/{hex}:v1             | docker.io             | library/{hex}       | v1           |                | docker.io/library/{hex}:v1                         | {hex}:v1                                 | {hex}
        {hex}:latest                           | docker.io             | library/{hex}       | latest       |                | docker.io/library/{hex}:latest                     | {hex}:latest                             | {hex}
        {hex}@{256}                            | docker.io             | library/{hex}       |              | {256}          | docker.io/library/{hex}@{256}                      | {hex}@{256}                              | {hex}
        {hex}:1@{256}                          | docker.io             | library/{hex}       | 1            | {256}          | docker.io/library/{hex}:1@{256}                    | {hex}:1@{256}                            | {hex}
        {hex}/app                              | docker.io             | {hex}/app           | latest       |                | docker.io/{hex}/app:latest                         | {hex}/app:latest                         | {hex}/app
        localhost/{hex}                        | localhost             | {hex}               | latest       |                | localhost/{hex}:latest                             | localhost/{hex}:latest                   | localhost/{hex}
        # IPv6 hosts: Docker accepts any hex digits and colons between the brackets, then an optional :port of digits
        [2001:db8::1]:5000/app                 | [2001:db8::1]:5000    | app                 | latest       |                | [2001:db8::1]:5000/app:latest                      | [2001:db8::1]:5000/app:latest            | [2001:db8::1]:5000/app
        [:::1]/app                             | [:::1]                | app                 | latest       |                | [:::1]/app:latest                                  | [:::1]/app:latest                        | [:::1]/app
        [1::2::3]/app                          | [1::2::3]             | app                 | latest       |                | [1::2::3]/app:latest                               | [1::2::3]/app:latest                     | [1::2::3]/app
        [1:2:3:4:5:6:7:8:9]/app                | [1:2:3:4:5:6:7:8:9]   | app                 | latest       |                | [1:2:3:4:5:6:7:8:9]/app:latest                     | [1:2:3:4:5:6:7:8:9]/app:latest           | [1:2:3:4:5:6:7:8:9]/app
        [1:2:3:4:5:6:7]/app                    | [1:2:3:4:5:6:7]       | app                 | latest       |                | [1:2:3:4:5:6:7]/app:latest                         | [1:2:3:4:5:6:7]/app:latest               | [1:2:3:4:5:6:7]/app
        [12345::1]/app                         | [12345::1]            | app                 | latest       |                | [12345::1]/app:latest                              | [12345::1]/app:latest                    | [12345::1]/app
        [fd00123123123]:75050/app              | [fd00123123123]:75050 | app                 | latest       |                | [fd00123123123]:75050/app:latest                   | [fd00123123123]:75050/app:latest         | [fd00123123123]:75050/app
        [:]/app                                | [:]                   | app                 | latest       |                | [:]/app:latest                                     | [:]/app:latest                           | [:]/app
        [::]:0/app                             | [::]:0                | app                 | latest       |                | [::]:0/app:latest                                  | [::]:0/app:latest                        | [::]:0/app
        [2001:0db8:85a3:0000:0000:8a2e:0370:7334]:750505/app | [2001:0db8:85a3:0000:0000:8a2e:0370:7334]:750505 | app                 | latest       |                | [2001:0db8:85a3:0000:0000:8a2e:0370:7334]:750505/app:latest | [2001:0db8:85a3:0000:0000:8a2e:0370:7334]:750505/app:latest | [2001:0db8:85a3:0000:0000:8a2e:0370:7334]:750505/app
        # digests
        ubuntu@{256}                           | docker.io             | library/ubuntu      |              | {256}  | docker.io/library/ubuntu@{256}                      | ubuntu@{256}                             | ubuntu
        ubuntu@{512}                           | docker.io             | library/ubuntu      |              | {512}  | docker.io/library/ubuntu@{512}                      | ubuntu@{512}                             | ubuntu
        ubuntu:22.04@{256}                     | docker.io             | library/ubuntu      | 22.04        | {256}  | docker.io/library/ubuntu:22.04@{256}                | ubuntu:22.04@{256}                       | ubuntu
        alice/app:1.0@{512}                    | docker.io             | alice/app           | 1.0          | {512}  | docker.io/alice/app:1.0@{512}                       | alice/app:1.0@{512}                      | alice/app
        alice/app@{256}                        | docker.io             | alice/app           |              | {256}  | docker.io/alice/app@{256}                           | alice/app@{256}                          | alice/app
        docker.io/library/ubuntu@{256}         | docker.io             | library/ubuntu      |              | {256}  | docker.io/library/ubuntu@{256}                      | ubuntu@{256}                             | ubuntu
        index.docker.io/ubuntu:1@{256}         | docker.io             | library/ubuntu      | 1            | {256}  | docker.io/library/ubuntu:1@{256}                    | ubuntu:1@{256}                           | ubuntu
        localhost:5000/a/b@{256}               | localhost:5000        | a/b                 |              | {256}  | localhost:5000/a/b@{256}                            | localhost:5000/a/b@{256}                 | localhost:5000/a/b
        localhost:5000/a/b:t@{256}             | localhost:5000        | a/b                 | t            | {256}  | localhost:5000/a/b:t@{256}                          | localhost:5000/a/b:t@{256}               | localhost:5000/a/b
        example.com/app:latest@{512}           | example.com           | app                 | latest       | {512}  | example.com/app:latest@{512}                        | example.com/app:latest@{512}             | example.com/app
        localhost@{256}                        | docker.io             | library/localhost   |              | {256}  | docker.io/library/localhost@{256}                   | localhost@{256}                          | localhost
        # Docker Hub names that must keep a prefix to read back the same (on purpose unlike Docker's FamiliarString,
        # which gives foo.bar/app:latest, a reference to the host foo.bar)
        docker.io/foo.bar/app                  | docker.io             | foo.bar/app         | latest       |        | docker.io/foo.bar/app:latest                        | docker.io/foo.bar/app:latest             | docker.io/foo.bar/app
        docker.io/localhost/app                | docker.io             | localhost/app       | latest       |        | docker.io/localhost/app:latest                      | docker.io/localhost/app:latest           | docker.io/localhost/app
        docker.io/library/localhost            | docker.io             | library/localhost   | latest       |        | docker.io/library/localhost:latest                  | localhost:latest                         | localhost
        """)
    void parsesValidReferences(String input, String registry, String repository, String tag, String digest,
            String canonical, String familiar, String familiarName) {
        assertParses(input, registry, repository, tag, digest, canonical, familiar, familiarName);
    }

    /** distribution/reference's cases: ParseNormalizedNamed gives the name, FamiliarString the familiar form. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
        # input                                | registry              | repository          | tag          | digest         | canonical                                          | familiar                                 | familiarName
        # distribution/reference normalize_test.go, TestValidateReferenceName
        docker/docker                          | docker.io             | docker/docker       | latest       |                | docker.io/docker/docker:latest                     | docker/docker:latest                     | docker/docker
        library/debian                         | docker.io             | library/debian      | latest       |                | docker.io/library/debian:latest                    | debian:latest                            | debian
        debian                                 | docker.io             | library/debian      | latest       |                | docker.io/library/debian:latest                    | debian:latest                            | debian
        localhost/library/debian               | localhost             | library/debian      | latest       |                | localhost/library/debian:latest                    | localhost/library/debian:latest          | localhost/library/debian
        localhost/debian                       | localhost             | debian              | latest       |                | localhost/debian:latest                            | localhost/debian:latest                  | localhost/debian
        LOCALDOMAIN/library/debian             | LOCALDOMAIN           | library/debian      | latest       |                | LOCALDOMAIN/library/debian:latest                  | LOCALDOMAIN/library/debian:latest        | LOCALDOMAIN/library/debian
        LOCALDOMAIN/debian                     | LOCALDOMAIN           | debian              | latest       |                | LOCALDOMAIN/debian:latest                          | LOCALDOMAIN/debian:latest                | LOCALDOMAIN/debian
        docker.io/docker/docker                | docker.io             | docker/docker       | latest       |                | docker.io/docker/docker:latest                     | docker/docker:latest                     | docker/docker
        docker.io/library/debian               | docker.io             | library/debian      | latest       |                | docker.io/library/debian:latest                    | debian:latest                            | debian
        docker.io/debian                       | docker.io             | library/debian      | latest       |                | docker.io/library/debian:latest                    | debian:latest                            | debian
        index.docker.io/docker/docker          | docker.io             | docker/docker       | latest       |                | docker.io/docker/docker:latest                     | docker/docker:latest                     | docker/docker
        index.docker.io/library/debian         | docker.io             | library/debian      | latest       |                | docker.io/library/debian:latest                    | debian:latest                            | debian
        index.docker.io/debian                 | docker.io             | library/debian      | latest       |                | docker.io/library/debian:latest                    | debian:latest                            | debian
        127.0.0.1:5000/docker/docker           | 127.0.0.1:5000        | docker/docker       | latest       |                | 127.0.0.1:5000/docker/docker:latest                | 127.0.0.1:5000/docker/docker:latest      | 127.0.0.1:5000/docker/docker
        127.0.0.1:5000/library/debian          | 127.0.0.1:5000        | library/debian      | latest       |                | 127.0.0.1:5000/library/debian:latest               | 127.0.0.1:5000/library/debian:latest     | 127.0.0.1:5000/library/debian
        127.0.0.1:5000/debian                  | 127.0.0.1:5000        | debian              | latest       |                | 127.0.0.1:5000/debian:latest                       | 127.0.0.1:5000/debian:latest             | 127.0.0.1:5000/debian
        192.168.0.1                            | docker.io             | library/192.168.0.1 | latest       |                | docker.io/library/192.168.0.1:latest               | 192.168.0.1:latest                       | 192.168.0.1
        192.168.0.1:80                         | docker.io             | library/192.168.0.1 | 80           |                | docker.io/library/192.168.0.1:80                   | 192.168.0.1:80                           | 192.168.0.1
        192.168.0.1:8/debian                   | 192.168.0.1:8         | debian              | latest       |                | 192.168.0.1:8/debian:latest                        | 192.168.0.1:8/debian:latest              | 192.168.0.1:8/debian
        192.168.0.2:25000/debian               | 192.168.0.2:25000     | debian              | latest       |                | 192.168.0.2:25000/debian:latest                    | 192.168.0.2:25000/debian:latest          | 192.168.0.2:25000/debian
        thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev | docker.io             | library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev | latest       |                | docker.io/library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev:latest | thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev:latest | thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev
        [fc00::1]:5000/docker                  | [fc00::1]:5000        | docker              | latest       |                | [fc00::1]:5000/docker:latest                       | [fc00::1]:5000/docker:latest             | [fc00::1]:5000/docker
        [fc00::1]:5000/docker/docker           | [fc00::1]:5000        | docker/docker       | latest       |                | [fc00::1]:5000/docker/docker:latest                | [fc00::1]:5000/docker/docker:latest      | [fc00::1]:5000/docker/docker
        [fc00:1:2:3:4:5:6:7]:5000/library/debian | [fc00:1:2:3:4:5:6:7]:5000 | library/debian      | latest       |                | [fc00:1:2:3:4:5:6:7]:5000/library/debian:latest    | [fc00:1:2:3:4:5:6:7]:5000/library/debian:latest | [fc00:1:2:3:4:5:6:7]:5000/library/debian
        docker.io/{1a3f}                       | docker.io             | library/{1a3f}      | latest       |                | docker.io/library/{1a3f}:latest                    | {1a3f}:latest                            | {1a3f}
        Docker/docker                          | Docker                | docker              | latest       |                | Docker/docker:latest                               | Docker/docker:latest                     | Docker/docker
        DOCKER/docker                          | DOCKER                | docker              | latest       |                | DOCKER/docker:latest                               | DOCKER/docker:latest                     | DOCKER/docker
        # normalize_test.go, TestValidateRemoteName
        docker-rules/docker                    | docker.io             | docker-rules/docker | latest       |                | docker.io/docker-rules/docker:latest               | docker-rules/docker:latest               | docker-rules/docker
        docker---rules/docker                  | docker.io             | docker---rules/docker | latest       |                | docker.io/docker---rules/docker:latest             | docker---rules/docker:latest             | docker---rules/docker
        doc/docker                             | docker.io             | doc/docker          | latest       |                | docker.io/doc/docker:latest                        | doc/docker:latest                        | doc/docker
        d/docker                               | docker.io             | d/docker            | latest       |                | docker.io/d/docker:latest                          | d/docker:latest                          | d/docker
        jess/t                                 | docker.io             | jess/t              | latest       |                | docker.io/jess/t:latest                            | jess/t:latest                            | jess/t
        dock__er/docker                        | docker.io             | dock__er/docker     | latest       |                | docker.io/dock__er/docker:latest                   | dock__er/docker:latest                   | dock__er/docker
        # normalize_test.go, TestParseRepositoryInfo (familiar, full and ambiguous spellings)
        localhost/fooo                         | localhost             | fooo                | latest       |                | localhost/fooo:latest                              | localhost/fooo:latest                    | localhost/fooo
        localhost/fooo/bar                     | localhost             | fooo/bar            | latest       |                | localhost/fooo/bar:latest                          | localhost/fooo/bar:latest                | localhost/fooo/bar
        LOCALDOMAIN/fooo                       | LOCALDOMAIN           | fooo                | latest       |                | LOCALDOMAIN/fooo:latest                            | LOCALDOMAIN/fooo:latest                  | LOCALDOMAIN/fooo
        LOCALDOMAIN/fooo/bar                   | LOCALDOMAIN           | fooo/bar            | latest       |                | LOCALDOMAIN/fooo/bar:latest                        | LOCALDOMAIN/fooo/bar:latest              | LOCALDOMAIN/fooo/bar
        fooo/bar                               | docker.io             | fooo/bar            | latest       |                | docker.io/fooo/bar:latest                          | fooo/bar:latest                          | fooo/bar
        docker.io/fooo/bar                     | docker.io             | fooo/bar            | latest       |                | docker.io/fooo/bar:latest                          | fooo/bar:latest                          | fooo/bar
        index.docker.io/fooo/bar               | docker.io             | fooo/bar            | latest       |                | docker.io/fooo/bar:latest                          | fooo/bar:latest                          | fooo/bar
        ubuntu                                 | docker.io             | library/ubuntu      | latest       |                | docker.io/library/ubuntu:latest                    | ubuntu:latest                            | ubuntu
        docker.io/library/ubuntu               | docker.io             | library/ubuntu      | latest       |                | docker.io/library/ubuntu:latest                    | ubuntu:latest                            | ubuntu
        library/ubuntu                         | docker.io             | library/ubuntu      | latest       |                | docker.io/library/ubuntu:latest                    | ubuntu:latest                            | ubuntu
        nonlibrary/ubuntu                      | docker.io             | nonlibrary/ubuntu   | latest       |                | docker.io/nonlibrary/ubuntu:latest                 | nonlibrary/ubuntu:latest                 | nonlibrary/ubuntu
        docker.io/nonlibrary/ubuntu            | docker.io             | nonlibrary/ubuntu   | latest       |                | docker.io/nonlibrary/ubuntu:latest                 | nonlibrary/ubuntu:latest                 | nonlibrary/ubuntu
        other/library                          | docker.io             | other/library       | latest       |                | docker.io/other/library:latest                     | other/library:latest                     | other/library
        docker.io/other/library                | docker.io             | other/library       | latest       |                | docker.io/other/library:latest                     | other/library:latest                     | other/library
        127.0.0.1:8000/private/moonbase        | 127.0.0.1:8000        | private/moonbase    | latest       |                | 127.0.0.1:8000/private/moonbase:latest             | 127.0.0.1:8000/private/moonbase:latest   | 127.0.0.1:8000/private/moonbase
        127.0.0.1:8000/privatebase             | 127.0.0.1:8000        | privatebase         | latest       |                | 127.0.0.1:8000/privatebase:latest                  | 127.0.0.1:8000/privatebase:latest        | 127.0.0.1:8000/privatebase
        example.com/private/moonbase           | example.com           | private/moonbase    | latest       |                | example.com/private/moonbase:latest                | example.com/private/moonbase:latest      | example.com/private/moonbase
        example.com/privatebase                | example.com           | privatebase         | latest       |                | example.com/privatebase:latest                     | example.com/privatebase:latest           | example.com/privatebase
        example.com:8000/private/moonbase      | example.com:8000      | private/moonbase    | latest       |                | example.com:8000/private/moonbase:latest           | example.com:8000/private/moonbase:latest | example.com:8000/private/moonbase
        example.com:8000/privatebasee          | example.com:8000      | privatebasee        | latest       |                | example.com:8000/privatebasee:latest               | example.com:8000/privatebasee:latest     | example.com:8000/privatebasee
        ubuntu-12.04-base                      | docker.io             | library/ubuntu-12.04-base | latest       |                | docker.io/library/ubuntu-12.04-base:latest         | ubuntu-12.04-base:latest                 | ubuntu-12.04-base
        docker.io/library/ubuntu-12.04-base    | docker.io             | library/ubuntu-12.04-base | latest       |                | docker.io/library/ubuntu-12.04-base:latest         | ubuntu-12.04-base:latest                 | ubuntu-12.04-base
        index.docker.io/library/ubuntu-12.04-base | docker.io             | library/ubuntu-12.04-base | latest       |                | docker.io/library/ubuntu-12.04-base:latest         | ubuntu-12.04-base:latest                 | ubuntu-12.04-base
        foo                                    | docker.io             | library/foo         | latest       |                | docker.io/library/foo:latest                       | foo:latest                               | foo
        docker.io/library/foo                  | docker.io             | library/foo         | latest       |                | docker.io/library/foo:latest                       | foo:latest                               | foo
        docker.io/foo                          | docker.io             | library/foo         | latest       |                | docker.io/library/foo:latest                       | foo:latest                               | foo
        library/foo/bar                        | docker.io             | library/foo/bar     | latest       |                | docker.io/library/foo/bar:latest                   | library/foo/bar:latest                   | library/foo/bar
        docker.io/library/foo/bar              | docker.io             | library/foo/bar     | latest       |                | docker.io/library/foo/bar:latest                   | library/foo/bar:latest                   | library/foo/bar
        store/foo/bar                          | docker.io             | store/foo/bar       | latest       |                | docker.io/store/foo/bar:latest                     | store/foo/bar:latest                     | store/foo/bar
        docker.io/store/foo/bar                | docker.io             | store/foo/bar       | latest       |                | docker.io/store/foo/bar:latest                     | store/foo/bar:latest                     | store/foo/bar
        Foo/bar                                | Foo                   | bar                 | latest       |                | Foo/bar:latest                                     | Foo/bar:latest                           | Foo/bar
        FOO/bar                                | FOO                   | bar                 | latest       |                | FOO/bar:latest                                     | FOO/bar:latest                           | FOO/bar
        # normalize_test.go, TestParseReferenceWithTagAndDigest and TestInvalidReferenceComponents
        busybox:latest@sha256:{86e0}           | docker.io             | library/busybox     | latest       | sha256:{86e0}  | docker.io/library/busybox:latest@sha256:{86e0}     | busybox:latest@sha256:{86e0}             | busybox
        busybox                                | docker.io             | library/busybox     | latest       |                | docker.io/library/busybox:latest                   | busybox:latest                           | busybox
        # normalize_test.go, TestParseAnyReference (a bare 64-hex or sha256:<hex> is an image id there; here a name is required)
        redis                                  | docker.io             | library/redis       | latest       |                | docker.io/library/redis:latest                     | redis:latest                             | redis
        redis:latest                           | docker.io             | library/redis       | latest       |                | docker.io/library/redis:latest                     | redis:latest                             | redis
        docker.io/library/redis:latest         | docker.io             | library/redis       | latest       |                | docker.io/library/redis:latest                     | redis:latest                             | redis
        redis@sha256:{dbcc}                    | docker.io             | library/redis       |              | sha256:{dbcc}  | docker.io/library/redis@sha256:{dbcc}              | redis@sha256:{dbcc}                      | redis
        docker.io/library/redis@sha256:{dbcc}  | docker.io             | library/redis       |              | sha256:{dbcc}  | docker.io/library/redis@sha256:{dbcc}              | redis@sha256:{dbcc}                      | redis
        dmcgowan/myapp                         | docker.io             | dmcgowan/myapp      | latest       |                | docker.io/dmcgowan/myapp:latest                    | dmcgowan/myapp:latest                    | dmcgowan/myapp
        dmcgowan/myapp:latest                  | docker.io             | dmcgowan/myapp      | latest       |                | docker.io/dmcgowan/myapp:latest                    | dmcgowan/myapp:latest                    | dmcgowan/myapp
        docker.io/mcgowan/myapp:latest         | docker.io             | mcgowan/myapp       | latest       |                | docker.io/mcgowan/myapp:latest                     | mcgowan/myapp:latest                     | mcgowan/myapp
        dmcgowan/myapp@sha256:{dbcc}           | docker.io             | dmcgowan/myapp      |              | sha256:{dbcc}  | docker.io/dmcgowan/myapp@sha256:{dbcc}             | dmcgowan/myapp@sha256:{dbcc}             | dmcgowan/myapp
        docker.io/dmcgowan/myapp@sha256:{dbcc} | docker.io             | dmcgowan/myapp      |              | sha256:{dbcc}  | docker.io/dmcgowan/myapp@sha256:{dbcc}             | dmcgowan/myapp@sha256:{dbcc}             | dmcgowan/myapp
        sha256:{dbcc}                          | docker.io             | library/sha256      | {dbcc}       |                | docker.io/library/sha256:{dbcc}                    | sha256:{dbcc}                            | sha256
        dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9 | docker.io             | library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9 | latest       |                | docker.io/library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9:latest | dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9:latest | dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9
        dbcc1                                  | docker.io             | library/dbcc1       | latest       |                | docker.io/library/dbcc1:latest                     | dbcc1:latest                             | dbcc1
        # normalize_test.go, TestNormalizedSplitHostname
        test.com/foo                           | test.com              | foo                 | latest       |                | test.com/foo:latest                                | test.com/foo:latest                      | test.com/foo
        test_com/foo                           | docker.io             | test_com/foo        | latest       |                | docker.io/test_com/foo:latest                      | test_com/foo:latest                      | test_com/foo
        docker/migrator                        | docker.io             | docker/migrator     | latest       |                | docker.io/docker/migrator:latest                   | docker/migrator:latest                   | docker/migrator
        test.com:8080/foo                      | test.com:8080         | foo                 | latest       |                | test.com:8080/foo:latest                           | test.com:8080/foo:latest                 | test.com:8080/foo
        test-com:8080/foo                      | test-com:8080         | foo                 | latest       |                | test-com:8080/foo:latest                           | test-com:8080/foo:latest                 | test-com:8080/foo
        xn--n3h.com/foo                        | xn--n3h.com           | foo                 | latest       |                | xn--n3h.com/foo:latest                             | xn--n3h.com/foo:latest                   | xn--n3h.com/foo
        xn--n3h.com:18080/foo                  | xn--n3h.com:18080     | foo                 | latest       |                | xn--n3h.com:18080/foo:latest                       | xn--n3h.com:18080/foo:latest             | xn--n3h.com:18080/foo
        # normalize_test.go, TestMatch and TestParseDockerRef
        foo/any/bat                            | docker.io             | foo/any/bat         | latest       |                | docker.io/foo/any/bat:latest                       | foo/any/bat:latest                       | foo/any/bat
        foo/a/bar                              | docker.io             | foo/a/bar           | latest       |                | docker.io/foo/a/bar:latest                         | foo/a/bar:latest                         | foo/a/bar
        foo/b/baz                              | docker.io             | foo/b/baz           | latest       |                | docker.io/foo/b/baz:latest                         | foo/b/baz:latest                         | foo/b/baz
        foo/c/baz:tag                          | docker.io             | foo/c/baz           | tag          |                | docker.io/foo/c/baz:tag                            | foo/c/baz:tag                            | foo/c/baz
        example.com/foo/c/baz:tag              | example.com           | foo/c/baz           | tag          |                | example.com/foo/c/baz:tag                          | example.com/foo/c/baz:tag                | example.com/foo/c/baz
        busybox:latest                         | docker.io             | library/busybox     | latest       |                | docker.io/library/busybox:latest                   | busybox:latest                           | busybox
        busybox@sha256:{e669}                  | docker.io             | library/busybox     |              | sha256:{e669}  | docker.io/library/busybox@sha256:{e669}            | busybox@sha256:{e669}                    | busybox
        library/busybox                        | docker.io             | library/busybox     | latest       |                | docker.io/library/busybox:latest                   | busybox:latest                           | busybox
        docker.io/busybox                      | docker.io             | library/busybox     | latest       |                | docker.io/library/busybox:latest                   | busybox:latest                           | busybox
        docker.io/library/busybox              | docker.io             | library/busybox     | latest       |                | docker.io/library/busybox:latest                   | busybox:latest                           | busybox
        docker.io/busybox:latest               | docker.io             | library/busybox     | latest       |                | docker.io/library/busybox:latest                   | busybox:latest                           | busybox
        library/busybox:latest                 | docker.io             | library/busybox     | latest       |                | docker.io/library/busybox:latest                   | busybox:latest                           | busybox
        docker.io/library/busybox:latest       | docker.io             | library/busybox     | latest       |                | docker.io/library/busybox:latest                   | busybox:latest                           | busybox
        gcr.io/library/busybox                 | gcr.io                | library/busybox     | latest       |                | gcr.io/library/busybox:latest                      | gcr.io/library/busybox:latest            | gcr.io/library/busybox
        # ParseDockerRef would drop the tag when there is a digest; ParseNormalizedNamed, like canonical(), keeps both
        gcr.io/library/busybox:latest@sha256:{e669} | gcr.io                | library/busybox     | latest       | sha256:{e669}  | gcr.io/library/busybox:latest@sha256:{e669}        | gcr.io/library/busybox:latest@sha256:{e669} | gcr.io/library/busybox
        # reference_test.go, TestReferenceParse (there without normalization)
        test_com                               | docker.io             | library/test_com    | latest       |                | docker.io/library/test_com:latest                  | test_com:latest                          | test_com
        test.com:tag                           | docker.io             | library/test.com    | tag          |                | docker.io/library/test.com:tag                     | test.com:tag                             | test.com
        test.com:5000                          | docker.io             | library/test.com    | 5000         |                | docker.io/library/test.com:5000                    | test.com:5000                            | test.com
        test.com/repo:tag                      | test.com              | repo                | tag          |                | test.com/repo:tag                                  | test.com/repo:tag                        | test.com/repo
        test:5000/repo                         | test:5000             | repo                | latest       |                | test:5000/repo:latest                              | test:5000/repo:latest                    | test:5000/repo
        test:5000/repo:tag                     | test:5000             | repo                | tag          |                | test:5000/repo:tag                                 | test:5000/repo:tag                       | test:5000/repo
        test:5000/repo@sha256:{f64}            | test:5000             | repo                |              | sha256:{f64}   | test:5000/repo@sha256:{f64}                        | test:5000/repo@sha256:{f64}              | test:5000/repo
        test:5000/repo:tag@sha256:{f64}        | test:5000             | repo                | tag          | sha256:{f64}   | test:5000/repo:tag@sha256:{f64}                    | test:5000/repo:tag@sha256:{f64}          | test:5000/repo
        # upstream refuses this only because its test binary does not register sha512; Docker does, and so do we
        validname@sha512:{f128}                | docker.io             | library/validname   |              | sha512:{f128}  | docker.io/library/validname@sha512:{f128}          | validname@sha512:{f128}                  | validname
        Uppercase/lowercase:tag                | Uppercase             | lowercase           | tag          |                | Uppercase/lowercase:tag                            | Uppercase/lowercase:tag                  | Uppercase/lowercase
        lowercase:Uppercase                    | docker.io             | library/lowercase   | Uppercase    |                | docker.io/library/lowercase:Uppercase              | lowercase:Uppercase                      | lowercase
        sub-dom1.foo.com/bar/baz/quux          | sub-dom1.foo.com      | bar/baz/quux        | latest       |                | sub-dom1.foo.com/bar/baz/quux:latest               | sub-dom1.foo.com/bar/baz/quux:latest     | sub-dom1.foo.com/bar/baz/quux
        sub-dom1.foo.com/bar/baz/quux:some-long-tag | sub-dom1.foo.com      | bar/baz/quux        | some-long-tag |                | sub-dom1.foo.com/bar/baz/quux:some-long-tag        | sub-dom1.foo.com/bar/baz/quux:some-long-tag | sub-dom1.foo.com/bar/baz/quux
        b.gcr.io/test.example.com/my-app:test.example.com | b.gcr.io              | test.example.com/my-app | test.example.com |                | b.gcr.io/test.example.com/my-app:test.example.com  | b.gcr.io/test.example.com/my-app:test.example.com | b.gcr.io/test.example.com/my-app
        xn--n3h.com/myimage:xn--n3h.com        | xn--n3h.com           | myimage             | xn--n3h.com  |                | xn--n3h.com/myimage:xn--n3h.com                    | xn--n3h.com/myimage:xn--n3h.com          | xn--n3h.com/myimage
        xn--7o8h.com/myimage:xn--7o8h.com@sha256:{f64} | xn--7o8h.com          | myimage             | xn--7o8h.com | sha256:{f64}   | xn--7o8h.com/myimage:xn--7o8h.com@sha256:{f64}     | xn--7o8h.com/myimage:xn--7o8h.com@sha256:{f64} | xn--7o8h.com/myimage
        foo_bar.com:8080                       | docker.io             | library/foo_bar.com | 8080         |                | docker.io/library/foo_bar.com:8080                 | foo_bar.com:8080                         | foo_bar.com
        foo/foo_bar.com:8080                   | docker.io             | foo/foo_bar.com     | 8080         |                | docker.io/foo/foo_bar.com:8080                     | foo/foo_bar.com:8080                     | foo/foo_bar.com
        192.168.1.1                            | docker.io             | library/192.168.1.1 | latest       |                | docker.io/library/192.168.1.1:latest               | 192.168.1.1:latest                       | 192.168.1.1
        192.168.1.1:tag                        | docker.io             | library/192.168.1.1 | tag          |                | docker.io/library/192.168.1.1:tag                  | 192.168.1.1:tag                          | 192.168.1.1
        192.168.1.1:5000                       | docker.io             | library/192.168.1.1 | 5000         |                | docker.io/library/192.168.1.1:5000                 | 192.168.1.1:5000                         | 192.168.1.1
        192.168.1.1/repo                       | 192.168.1.1           | repo                | latest       |                | 192.168.1.1/repo:latest                            | 192.168.1.1/repo:latest                  | 192.168.1.1/repo
        192.168.1.1:5000/repo                  | 192.168.1.1:5000      | repo                | latest       |                | 192.168.1.1:5000/repo:latest                       | 192.168.1.1:5000/repo:latest             | 192.168.1.1:5000/repo
        192.168.1.1:5000/repo:5050             | 192.168.1.1:5000      | repo                | 5050         |                | 192.168.1.1:5000/repo:5050                         | 192.168.1.1:5000/repo:5050               | 192.168.1.1:5000/repo
        [2001:db8::1]/repo                     | [2001:db8::1]         | repo                | latest       |                | [2001:db8::1]/repo:latest                          | [2001:db8::1]/repo:latest                | [2001:db8::1]/repo
        [2001:db8:1:2:3:4:5:6]/repo:tag        | [2001:db8:1:2:3:4:5:6] | repo                | tag          |                | [2001:db8:1:2:3:4:5:6]/repo:tag                    | [2001:db8:1:2:3:4:5:6]/repo:tag          | [2001:db8:1:2:3:4:5:6]/repo
        [2001:db8::1]:5000/repo                | [2001:db8::1]:5000    | repo                | latest       |                | [2001:db8::1]:5000/repo:latest                     | [2001:db8::1]:5000/repo:latest           | [2001:db8::1]:5000/repo
        [2001:db8::1]:5000/repo:tag            | [2001:db8::1]:5000    | repo                | tag          |                | [2001:db8::1]:5000/repo:tag                        | [2001:db8::1]:5000/repo:tag              | [2001:db8::1]:5000/repo
        [2001:db8::1]:5000/repo@sha256:{f64}   | [2001:db8::1]:5000    | repo                |              | sha256:{f64}   | [2001:db8::1]:5000/repo@sha256:{f64}               | [2001:db8::1]:5000/repo@sha256:{f64}     | [2001:db8::1]:5000/repo
        [2001:db8::1]:5000/repo:tag@sha256:{f64} | [2001:db8::1]:5000    | repo                | tag          | sha256:{f64}   | [2001:db8::1]:5000/repo:tag@sha256:{f64}           | [2001:db8::1]:5000/repo:tag@sha256:{f64} | [2001:db8::1]:5000/repo
        [2001:db8::]:5000/repo                 | [2001:db8::]:5000     | repo                | latest       |                | [2001:db8::]:5000/repo:latest                      | [2001:db8::]:5000/repo:latest            | [2001:db8::]:5000/repo
        [::1]:5000/repo                        | [::1]:5000            | repo                | latest       |                | [::1]:5000/repo:latest                             | [::1]:5000/repo:latest                   | [::1]:5000/repo
        # reference_test.go, TestWithNameFailure, TestDomainAndPath, TestSerialization, TestParseNamed
        example.com/repo:tag                   | example.com           | repo                | tag          |                | example.com/repo:tag                               | example.com/repo:tag                     | example.com/repo
        test:8080/foo                          | test:8080             | foo                 | latest       |                | test:8080/foo:latest                               | test:8080/foo:latest                     | test:8080/foo
        example.com:8000/named                 | example.com:8000      | named               | latest       |                | example.com:8000/named:latest                      | example.com:8000/named:latest            | example.com:8000/named
        example.com:8000/named:tagged          | example.com:8000      | named               | tagged       |                | example.com:8000/named:tagged                      | example.com:8000/named:tagged            | example.com:8000/named
        other.com/named@sha256:{1234}          | other.com             | named               |              | sha256:{1234}  | other.com/named@sha256:{1234}                      | other.com/named@sha256:{1234}            | other.com/named
        test.com                               | docker.io             | library/test.com    | latest       |                | docker.io/library/test.com:latest                  | test.com:latest                          | test.com
        library/foo                            | docker.io             | library/foo         | latest       |                | docker.io/library/foo:latest                       | foo:latest                               | foo
        # regexp_test.go, TestFullNameRegexp (names through the normalizing parser)
        short                                  | docker.io             | library/short       | latest       |                | docker.io/library/short:latest                     | short:latest                             | short
        simple/name                            | docker.io             | simple/name         | latest       |                | docker.io/simple/name:latest                       | simple/name:latest                       | simple/name
        docker/stevvooe/app                    | docker.io             | docker/stevvooe/app | latest       |                | docker.io/docker/stevvooe/app:latest               | docker/stevvooe/app:latest               | docker/stevvooe/app
        aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb | docker.io             | aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb | latest       |                | docker.io/aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb:latest | aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb:latest | aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb
        aa/aa/bb/bb/bb                         | docker.io             | aa/aa/bb/bb/bb      | latest       |                | docker.io/aa/aa/bb/bb/bb:latest                    | aa/aa/bb/bb/bb:latest                    | aa/aa/bb/bb/bb
        a/a/a/a                                | docker.io             | a/a/a/a             | latest       |                | docker.io/a/a/a/a:latest                           | a/a/a/a:latest                           | a/a/a/a
        a                                      | docker.io             | library/a           | latest       |                | docker.io/library/a:latest                         | a:latest                                 | a
        a/aa                                   | docker.io             | a/aa                | latest       |                | docker.io/a/aa:latest                              | a/aa:latest                              | a/aa
        a/aa/a                                 | docker.io             | a/aa/a              | latest       |                | docker.io/a/aa/a:latest                            | a/aa/a:latest                            | a/aa/a
        foo.com                                | docker.io             | library/foo.com     | latest       |                | docker.io/library/foo.com:latest                   | foo.com:latest                           | foo.com
        foo.com:8080/bar                       | foo.com:8080          | bar                 | latest       |                | foo.com:8080/bar:latest                            | foo.com:8080/bar:latest                  | foo.com:8080/bar
        foo.com/bar                            | foo.com               | bar                 | latest       |                | foo.com/bar:latest                                 | foo.com/bar:latest                       | foo.com/bar
        foo.com/bar/baz                        | foo.com               | bar/baz             | latest       |                | foo.com/bar/baz:latest                             | foo.com/bar/baz:latest                   | foo.com/bar/baz
        localhost:8080/bar                     | localhost:8080        | bar                 | latest       |                | localhost:8080/bar:latest                          | localhost:8080/bar:latest                | localhost:8080/bar
        blog.foo.com/bar/baz                   | blog.foo.com          | bar/baz             | latest       |                | blog.foo.com/bar/baz:latest                        | blog.foo.com/bar/baz:latest              | blog.foo.com/bar/baz
        aa-a/a                                 | docker.io             | aa-a/a              | latest       |                | docker.io/aa-a/a:latest                            | aa-a/a:latest                            | aa-a/a
        foo_bar                                | docker.io             | library/foo_bar     | latest       |                | docker.io/library/foo_bar:latest                   | foo_bar:latest                           | foo_bar
        foo_bar.com                            | docker.io             | library/foo_bar.com | latest       |                | docker.io/library/foo_bar.com:latest               | foo_bar.com:latest                       | foo_bar.com
        foo.com/foo_bar                        | foo.com               | foo_bar             | latest       |                | foo.com/foo_bar:latest                             | foo.com/foo_bar:latest                   | foo.com/foo_bar
        b.gcr.io/test.example.com/my-app       | b.gcr.io              | test.example.com/my-app | latest       |                | b.gcr.io/test.example.com/my-app:latest            | b.gcr.io/test.example.com/my-app:latest  | b.gcr.io/test.example.com/my-app
        xn--n3h.com/myimage                    | xn--n3h.com           | myimage             | latest       |                | xn--n3h.com/myimage:latest                         | xn--n3h.com/myimage:latest               | xn--n3h.com/myimage
        xn--7o8h.com/myimage                   | xn--7o8h.com          | myimage             | latest       |                | xn--7o8h.com/myimage:latest                        | xn--7o8h.com/myimage:latest              | xn--7o8h.com/myimage
        example.com/xn--7o8h.com/myimage       | example.com           | xn--7o8h.com/myimage | latest       |                | example.com/xn--7o8h.com/myimage:latest            | example.com/xn--7o8h.com/myimage:latest  | example.com/xn--7o8h.com/myimage
        example.com/some_separator__underscore/myimage | example.com           | some_separator__underscore/myimage | latest       |                | example.com/some_separator__underscore/myimage:latest | example.com/some_separator__underscore/myimage:latest | example.com/some_separator__underscore/myimage
        do__cker/docker                        | docker.io             | do__cker/docker     | latest       |                | docker.io/do__cker/docker:latest                   | do__cker/docker:latest                   | do__cker/docker
        registry.io/foo/project--id.module--name.ver---sion--name | registry.io           | foo/project--id.module--name.ver---sion--name | latest       |                | registry.io/foo/project--id.module--name.ver---sion--name:latest | registry.io/foo/project--id.module--name.ver---sion--name:latest | registry.io/foo/project--id.module--name.ver---sion--name
        Asdf.com/foo/bar                       | Asdf.com              | foo/bar             | latest       |                | Asdf.com/foo/bar:latest                            | Asdf.com/foo/bar:latest                  | Asdf.com/foo/bar
        # regexp_test.go, TestReferenceRegexp
        registry.com:8080/myapp:tag            | registry.com:8080     | myapp               | tag          |                | registry.com:8080/myapp:tag                        | registry.com:8080/myapp:tag              | registry.com:8080/myapp
        registry.com:8080/myapp@sha256:{be17}  | registry.com:8080     | myapp               |              | sha256:{be17}  | registry.com:8080/myapp@sha256:{be17}              | registry.com:8080/myapp@sha256:{be17}    | registry.com:8080/myapp
        registry.com:8080/myapp:tag2@sha256:{be17} | registry.com:8080     | myapp               | tag2         | sha256:{be17}  | registry.com:8080/myapp:tag2@sha256:{be17}         | registry.com:8080/myapp:tag2@sha256:{be17} | registry.com:8080/myapp
        localhost:8080@sha256:{be17}           | docker.io             | library/localhost   | 8080         | sha256:{be17}  | docker.io/library/localhost:8080@sha256:{be17}     | localhost:8080@sha256:{be17}             | localhost
        localhost:8080/name@sha256:{be17}      | localhost:8080        | name                |              | sha256:{be17}  | localhost:8080/name@sha256:{be17}                  | localhost:8080/name@sha256:{be17}        | localhost:8080/name
        localhost@sha256:{be17}                | docker.io             | library/localhost   |              | sha256:{be17}  | docker.io/library/localhost@sha256:{be17}          | localhost@sha256:{be17}                  | localhost
        # regexp_test.go, TestIdentifierRegexp (only a whole 64-hex input is refused)
        da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf | docker.io             | library/da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf | latest       |                | docker.io/library/da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf:latest | da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf:latest | da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf
        sha256:{da30}                          | docker.io             | library/sha256      | {da30}       |                | docker.io/library/sha256:{da30}                    | sha256:{da30}                            | sha256
        {da30}8482                             | docker.io             | library/{da30}8482  | latest       |                | docker.io/library/{da30}8482:latest                | {da30}8482:latest                        | {da30}8482
        """)
    void parsesUpstreamValidReferences(String input, String registry, String repository, String tag, String digest,
            String canonical, String familiar, String familiarName) {
        assertParses(input, registry, repository, tag, digest, canonical, familiar, familiarName);
    }

    private static void assertParses(String input, String registry, String repository, String tag, String digest,
            String canonical, String familiar, String familiarName) {
        ImageReference ref = ImageReference.parse(x(input));
        assertEquals(x(registry), ref.registry(), "registry");
        assertEquals(x(repository), ref.repository(), "repository");
        assertEquals(x(tag), ref.tag(), "tag");
        assertEquals(x(digest), ref.digest() == null ? null : ref.digest().toString(), "digest");
        assertEquals(x(canonical), ref.canonical(), "canonical");
        assertEquals(x(familiar), ref.familiar(), "familiar");
        assertEquals(x(familiarName), ref.familiarName(), "familiarName");
        assertEquals(ref.canonical(), ref.toString());
        assertEquals(ref.registry() + "/" + ref.repository(), ref.name());
        assertEquals("docker.io".equals(registry), ref.isDockerHub());
        // Both printed forms must read back as the same reference.
        assertEquals(ref, ImageReference.parse(ref.canonical()), "canonical round trip");
        assertEquals(ref, ImageReference.parse(ref.familiar()), "familiar round trip");
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        # empty, whitespace, junk
        ''                      | NAME_INVALID
        ' '                     | NAME_INVALID
        ' ubuntu'               | NAME_INVALID
        'ubuntu '               | NAME_INVALID
        'ub untu'               | NAME_INVALID
        'ubuntu: latest'        | NAME_INVALID
        'ubuntu:latest '        | NAME_INVALID
        'alice/app @{256}'      | NAME_INVALID
        @                       | NAME_INVALID
        ':'                     | NAME_INVALID
        ':latest'               | NAME_INVALID
        @{256}                  | NAME_INVALID
        a\\b                    | NAME_INVALID
        a%2fb                   | NAME_INVALID
        a%2e%2e/b               | NAME_INVALID
        a/b?x=1                 | NAME_INVALID
        a/b#frag                | NAME_INVALID
        a;b                     | NAME_INVALID
        a*b                     | NAME_INVALID
        ü                       | NAME_INVALID
        日本                     | NAME_INVALID
        a/b:c/d                 | NAME_INVALID
        ubuntu:tag:more         | NAME_INVALID
        ubuntu:a/b              | NAME_INVALID
        # uppercase in the path
        Ubuntu                  | NAME_INVALID
        UBUNTU:latest           | NAME_INVALID
        alice/App               | NAME_INVALID
        alice/app/Sub:1         | NAME_INVALID
        docker.io/Ubuntu        | NAME_INVALID
        localhost:5000/Foo      | NAME_INVALID
        MyHost/App              | NAME_INVALID
        # empty parts, leading and trailing '/', dot tricks
        a//b                    | NAME_INVALID
        /a                      | NAME_INVALID
        a/                      | NAME_INVALID
        /                       | NAME_INVALID
        //                      | NAME_INVALID
        localhost/              | NAME_INVALID
        localhost:5000/         | NAME_INVALID
        localhost:5000/:tag     | NAME_INVALID
        localhost:5000//a       | NAME_INVALID
        ../etc/passwd           | NAME_INVALID
        a/../b                  | NAME_INVALID
        a/./b                   | NAME_INVALID
        ./a                     | NAME_INVALID
        a/..                    | NAME_INVALID
        ..                      | NAME_INVALID
        .                       | NAME_INVALID
        a/.b                    | NAME_INVALID
        a/b.                    | NAME_INVALID
        # separators
        a___b                   | NAME_INVALID
        a.-b                    | NAME_INVALID
        a-.b                    | NAME_INVALID
        a._b                    | NAME_INVALID
        a_.b                    | NAME_INVALID
        a..b                    | NAME_INVALID
        a_-b                    | NAME_INVALID
        a-                      | NAME_INVALID
        a_                      | NAME_INVALID
        a__                     | NAME_INVALID
        a.                      | NAME_INVALID
        -a                      | NAME_INVALID
        _a                      | NAME_INVALID
        alice/b-                | NAME_INVALID
        alice/b_                | NAME_INVALID
        alice/-b                | NAME_INVALID
        a-/b                    | NAME_INVALID
        # bad hosts
        -bad.example/app        | NAME_INVALID
        bad-.example/app        | NAME_INVALID
        bad..example/app        | NAME_INVALID
        .example.com/app        | NAME_INVALID
        example.com./app        | NAME_INVALID
        example.com:/app        | NAME_INVALID
        example.com:abc/app     | NAME_INVALID
        example.com:50:60/app   | NAME_INVALID
        # Docker accepts these as a path with no registry at all (domain ""), as "_" is not allowed in a host;
        # every reference here names a registry, so they are refused
        ex_ample.com/app        | NAME_INVALID
        foo_bar.com/app:1       | NAME_INVALID
        :5000/app               | NAME_INVALID
        [::1/app                | NAME_INVALID
        [::1]x/app              | NAME_INVALID
        [::1]:/app              | NAME_INVALID
        [::1]:abc/app           | NAME_INVALID
        ::1/app                 | NAME_INVALID
        # bad tags
        ubuntu:                 | TAG_INVALID
        ubuntu:.hidden          | TAG_INVALID
        ubuntu:-dash            | TAG_INVALID
        ubuntu:tag!             | TAG_INVALID
        ubuntu:ta+g             | TAG_INVALID
        alice/app:v1.0$         | TAG_INVALID
        localhost:5000/app:     | TAG_INVALID
        ubuntu:ü                | TAG_INVALID
        ubuntu:%20              | TAG_INVALID
        ubuntu:@{256}           | TAG_INVALID
        [::1]:5000/foo:a,b      | TAG_INVALID
        # bad digests
        ubuntu@                 | DIGEST_INVALID
        ubuntu@sha256           | DIGEST_INVALID
        ubuntu@sha256:          | DIGEST_INVALID
        ubuntu@sha256:abc       | DIGEST_INVALID
        ubuntu@:{hex}           | DIGEST_INVALID
        ubuntu@{hex}            | DIGEST_INVALID
        ubuntu@SHA256:{hex}     | DIGEST_INVALID
        ubuntu@md5:d41d8cd98f00b204e9800998ecf8427e | DIGEST_INVALID
        ubuntu@sha512:{hex}     | DIGEST_INVALID
        ubuntu@sha256:{hex}{hex} | DIGEST_INVALID
        ubuntu@sha256:{hex}0    | DIGEST_INVALID
        ubuntu@{256}@{256}      | DIGEST_INVALID
        ubuntu@{256}:tag        | DIGEST_INVALID
        ubuntu:1.0@sha256:xyz   | DIGEST_INVALID
        localhost:5000/a@sha256:bad | DIGEST_INVALID
        # go-digest accepts sha384; we accept only the OCI algorithms sha256 and sha512
        alice/app@sha384:{hex}  | DIGEST_INVALID
        # 64 hex digits: refused only as the whole input (it could be an image id); as a name part they are a name
        {hex}                                    | NAME_INVALID
        {HEX}                                    | NAME_INVALID
        # IPv6 hosts: Docker accepts any hex digits and colons between the brackets, then an optional :port of digits
        []/app                                   | NAME_INVALID
        [gggg::1]/app                            | NAME_INVALID
        [1.2.3.4]/app                            | NAME_INVALID
        [::ffff:1.2.3.4]/app                     | NAME_INVALID
        [fe80::1%eth0]/app                       | NAME_INVALID
        [fd00:1:2::3%eth0]:75050/app             | NAME_INVALID
        [fd00:1:2::3]75050/app                   | NAME_INVALID
        [fd00:1:2::3]::75050/app                 | NAME_INVALID
        fd00:1:2::3:75050/app                    | NAME_INVALID
        [::1]]/app                               | NAME_INVALID
        [[::1]/app                               | NAME_INVALID
        [::1]:5000:6000/app                      | NAME_INVALID
        [::1]:                                   | NAME_INVALID
        # Transcribed from distribution/reference; expected kinds are ours (upstream only says "invalid reference format").
        # distribution/reference normalize_test.go, TestValidateReferenceName
        https://github.com/docker/docker         | NAME_INVALID
        docker/Docker                            | NAME_INVALID
        -docker                                  | NAME_INVALID
        -docker/docker                           | NAME_INVALID
        -docker.io/docker/docker                 | NAME_INVALID
        docker///docker                          | NAME_INVALID
        docker.io/docker/Docker                  | NAME_INVALID
        docker.io/docker///docker                | NAME_INVALID
        [fc00::1]                                | NAME_INVALID
        [fc00::1]:5000                           | NAME_INVALID
        fc00::1:5000/debian                      | NAME_INVALID
        [fe80::1%eth0]:5000/debian               | NAME_INVALID
        [2001:db8:3:4::192.0.2.33]:5000/debian   | NAME_INVALID
        {1a3f}                                   | NAME_INVALID
        # normalize_test.go, TestValidateRemoteName
        docker-/docker                           | NAME_INVALID
        -docker-/docker                          | NAME_INVALID
        ____/____                                | NAME_INVALID
        _docker/_docker                          | NAME_INVALID
        dock..er/docker                          | NAME_INVALID
        dock_.er/docker                          | NAME_INVALID
        dock-.er/docker                          | NAME_INVALID
        docker/                                  | NAME_INVALID
        # normalize_test.go, TestParseReferenceWithTagAndDigest and TestInvalidReferenceComponents
        -foo                                     | NAME_INVALID
        # normalize_test.go, TestParseAnyReference (a bare 64-hex or sha256:<hex> is an image id there; here a name is required)
        {dbcc}                                   | NAME_INVALID
        # reference_test.go, TestReferenceParse (there without normalization)
        ''                                       | NAME_INVALID
        :justtag                                 | NAME_INVALID
        @sha256:{f64}                            | NAME_INVALID
        repo@sha256:ffffffffffffffffffffffffffffffffff | DIGEST_INVALID
        validname@invaliddigest:{f64}            | DIGEST_INVALID
        Uppercase:tag                            | NAME_INVALID
        test:5000/Uppercase/lowercase:tag        | NAME_INVALID
        aa/asdf$$^/aa                            | NAME_INVALID
        [2001:db8::1]                            | NAME_INVALID
        [2001:db8::1]:5000                       | NAME_INVALID
        [2001:db8::1]:tag                        | NAME_INVALID
        [fe80::1%eth0]:5000/repo                 | NAME_INVALID
        [fe80::1%@invalidzone]:5000/repo         | NAME_INVALID
        # regexp_test.go, TestFullNameRegexp (names through the normalizing parser)
        a/a/a/a/                                 | NAME_INVALID
        a//a/a                                   | NAME_INVALID
        foo.com/                                 | NAME_INVALID
        foo.com:http/bar                         | NAME_INVALID
        a^a                                      | NAME_INVALID
        asdf$$^/aa                               | NAME_INVALID
        a-/a/a/a                                 | NAME_INVALID
        foo.com/a-/a/a                           | NAME_INVALID
        -foo/bar                                 | NAME_INVALID
        foo/bar-                                 | NAME_INVALID
        foo-/bar                                 | NAME_INVALID
        foo/-bar                                 | NAME_INVALID
        _foo/bar                                 | NAME_INVALID
        foo_bar.com:8080/app                     | NAME_INVALID
        docker_/docker_                          | NAME_INVALID
        example.com/__underscore/myimage         | NAME_INVALID
        example.com/..dots/myimage               | NAME_INVALID
        example.com/.dots/myimage                | NAME_INVALID
        example.com/nodouble..dots/myimage       | NAME_INVALID
        docker./docker                           | NAME_INVALID
        .docker/docker                           | NAME_INVALID
        do..cker/docker                          | NAME_INVALID
        do__cker:8080/docker                     | NAME_INVALID
        Foo/FarB                                 | NAME_INVALID
        # regexp_test.go, TestReferenceRegexp
        registry.com:8080/myapp@sha256:badbadbadbad | DIGEST_INVALID
        registry.com:8080/myapp:invalid~tag      | TAG_INVALID
        bad_hostname.com:8080/myapp:tag          | NAME_INVALID
        localhost:http/name@sha256:{be17}        | NAME_INVALID
        registry.com:8080/myapp@bad              | DIGEST_INVALID
        registry.com:8080/myapp@2bad             | DIGEST_INVALID
        # regexp_test.go, TestIdentifierRegexp (only a whole 64-hex input is refused)
        {da30}                                   | NAME_INVALID
        {7ec4}                                   | NAME_INVALID
        """)
    void rejectsInvalidReferences(String input, ErrorCode code) {
        assertRejected(x(input), code);
    }

    @Test
    void rejectsDigestHexThatIsNotLowercaseOrNotHex() {
        assertRejected("ubuntu@sha256:" + HEX.toUpperCase(), ErrorCode.DIGEST_INVALID);
        assertRejected("ubuntu@sha256:" + HEX.substring(1) + "g", ErrorCode.DIGEST_INVALID);
        assertRejected("ubuntu@sha256:" + HEX.substring(1), ErrorCode.DIGEST_INVALID);
    }

    static Stream<Arguments> limits() {
        String path255 = "a/" + "b".repeat(253);
        String name247 = "c".repeat(247); // library/ + 247 = 255
        String tag128 = "T".repeat(128);
        return Stream.of(
                Arguments.of(path255, "docker.io", path255, "latest"),
                Arguments.of("localhost:5000/" + path255, "localhost:5000", path255, "latest"),
                Arguments.of("example.com/" + "d".repeat(255) + ":1", "example.com", "d".repeat(255), "1"),
                Arguments.of(name247, "docker.io", "library/" + name247, "latest"),
                Arguments.of("x.io/" + "a/".repeat(127) + "a", "x.io", "a/".repeat(127) + "a", "latest"),
                Arguments.of("ubuntu:" + tag128, "docker.io", "library/ubuntu", tag128),
                Arguments.of("alice/app:_" + "9".repeat(127) + "@" + S256, "docker.io", "alice/app", "_" + "9".repeat(127)),
                // distribution/reference reference_test.go, TestReferenceParse
                Arguments.of("a/".repeat(127) + "a:tag-puts-this-over-max", "docker.io", "a/".repeat(127) + "a",
                        "tag-puts-this-over-max"),
                Arguments.of("example.com/" + "a".repeat(255) + ":tag", "example.com", "a".repeat(255), "tag"));
    }

    @ParameterizedTest
    @MethodSource("limits")
    void acceptsNamesAndTagsAtTheirLimits(String input, String registry, String repository, String tag) {
        ImageReference ref = ImageReference.parse(input);
        assertEquals(registry, ref.registry());
        assertEquals(repository, ref.repository());
        assertEquals(tag, ref.tag());
        assertEquals(ref, ImageReference.parse(ref.familiar()));
    }

    static Stream<Arguments> overLimitsAndControlCharacters() {
        return Stream.of(
                Arguments.of("a/" + "b".repeat(254), ErrorCode.NAME_INVALID),
                Arguments.of("localhost:5000/" + "a/" + "b".repeat(254), ErrorCode.NAME_INVALID),
                Arguments.of("example.com/" + "d".repeat(256), ErrorCode.NAME_INVALID),
                Arguments.of("c".repeat(248), ErrorCode.NAME_INVALID), // library/ + 248 = 256
                Arguments.of("ubuntu:" + "t".repeat(129), ErrorCode.TAG_INVALID),
                Arguments.of("ubuntu:" + "t".repeat(129) + "@" + S256, ErrorCode.TAG_INVALID),
                Arguments.of("ubuntu\t", ErrorCode.NAME_INVALID),
                Arguments.of("\nubuntu", ErrorCode.NAME_INVALID),
                Arguments.of("ubuntu\r\n", ErrorCode.NAME_INVALID),
                Arguments.of("ubu\u0000ntu", ErrorCode.NAME_INVALID),
                Arguments.of("ubuntu:latest\u00a0", ErrorCode.NAME_INVALID),
                Arguments.of("ubuntu\u2003", ErrorCode.NAME_INVALID),
                Arguments.of("ubuntu\u007f", ErrorCode.NAME_INVALID),
                // distribution/reference: TestReferenceParse, TestWithNameFailure, TestValidateRemoteName
                Arguments.of("domain/" + "a".repeat(256) + ":tag", ErrorCode.NAME_INVALID),
                Arguments.of("example.com/" + "a".repeat(256), ErrorCode.NAME_INVALID),
                Arguments.of("this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_".repeat(4).replaceAll("_$", "")
                        + "/docker", ErrorCode.NAME_INVALID),
                // regexp_test.go TestFullNameRegexp: the grammar matches, but the path is 257 characters
                Arguments.of("a/".repeat(128) + "a", ErrorCode.NAME_INVALID));
    }

    @ParameterizedTest
    @MethodSource("overLimitsAndControlCharacters")
    void rejectsOverLongPartsAndControlCharacters(String input, ErrorCode code) {
        assertRejected(input, code);
    }

    @Test
    void rejectsNull() {
        assertRejected(null, ErrorCode.NAME_INVALID);
    }

    @Test
    void explainsErrorsInDockersWords() {
        assertTrue(message("alice/App").contains("must be lowercase"), message("alice/App"));
        assertTrue(message(HEX).contains("cannot specify 64-byte hexadecimal strings"), message(HEX));
        assertTrue(message("a/" + "b".repeat(254)).contains("255"), message("a/" + "b".repeat(254)));
    }

    @Test
    void constructorNormalizesAndValidates() {
        ImageReference ref = new ImageReference("index.docker.io", "ubuntu", null, null);
        assertEquals(ImageReference.parse("ubuntu"), ref);
        assertEquals("docker.io/library/ubuntu:latest", ref.canonical());
        assertThrows(InvalidReferenceException.class, () -> new ImageReference(null, "a", "t", null));
        assertThrows(InvalidReferenceException.class, () -> new ImageReference("docker.io", null, "t", null));
        assertThrows(InvalidReferenceException.class, () -> new ImageReference("docker.io", "a/../b", "t", null));
        assertThrows(InvalidReferenceException.class, () -> new ImageReference("bad host", "a", "t", null));
        assertEquals(ErrorCode.TAG_INVALID,
                assertThrows(InvalidReferenceException.class, () -> new ImageReference("x.io", "a", "-t", null)).code());
    }

    @Test
    void withTagAndWithDigestKeepTheOtherPartAndValidate() {
        ImageReference ref = ImageReference.parse("localhost:5000/a/b");
        Digest digest = Digest.parse(S256);
        ImageReference pinned = ref.withDigest(digest);
        assertEquals("localhost:5000/a/b:latest@" + S256, pinned.canonical());
        assertEquals("localhost:5000/a/b:v2@" + S256, pinned.withTag("v2").canonical());
        ImageReference byDigest = ImageReference.parse("ubuntu@" + S256);
        assertNull(byDigest.tag());
        assertEquals("ubuntu:22.04@" + S256, byDigest.withTag("22.04").familiar());
        assertEquals("ubuntu:1@" + S512, ImageReference.parse("ubuntu:1").withDigest(Digest.parse(S512)).familiar());
        assertEquals(ErrorCode.TAG_INVALID, assertThrows(InvalidReferenceException.class, () -> ref.withTag("bad tag")).code());
        // distribution/reference TestInvalidReferenceComponents: tag "-foo" and digest "foo"
        assertEquals(ErrorCode.TAG_INVALID, assertThrows(InvalidReferenceException.class, () -> ref.withTag("-foo")).code());
        assertFalse(Digest.isValid("foo"));
        assertEquals(ErrorCode.TAG_INVALID, assertThrows(InvalidReferenceException.class, () -> ref.withTag(null)).code());
        assertEquals(ErrorCode.TAG_INVALID, assertThrows(InvalidReferenceException.class, () -> ref.withTag("t".repeat(129))).code());
        assertEquals(ErrorCode.DIGEST_INVALID, assertThrows(InvalidReferenceException.class, () -> ref.withDigest(null)).code());
    }

    /**
     * distribution/reference reference_test.go, TestWithTag and TestWithDigest (and TestInvalidReferenceComponents).
     * Upstream uses a 37-digit "sha256:1234567890098765432112345667890098765", which its WithDigest accepts by form;
     * our {@link Digest} holds only full-length digests, so the rows use {1234} (64 digits) instead.
     */
    @ParameterizedTest(name = "[{index}] {0} + {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
        # name             | tag  | digest        | familiar
        test.com/foo       | tag  |               | test.com/foo:tag
        foo                | tag2 |               | foo:tag2
        test.com:8000/foo  | tag4 |               | test.com:8000/foo:tag4
        test.com:8000/foo  | TAG5 |               | test.com:8000/foo:TAG5
        test.com:8000/foo  | TAG5 | sha256:{1234} | test.com:8000/foo:TAG5@sha256:{1234}
        test.com/foo       |      | sha256:{1234} | test.com/foo@sha256:{1234}
        foo                |      | sha256:{1234} | foo@sha256:{1234}
        test.com:8000/foo  |      | sha256:{1234} | test.com:8000/foo@sha256:{1234}
        test.com:8000/foo  |latest| sha256:{1234} | test.com:8000/foo:latest@sha256:{1234}
        """)
    void addsTagsAndDigestsAsUpstream(String name, String tag, String digest, String familiar) {
        // parse gives "latest" to a bare name, so a digest-only reference is built from a digest-only parse
        ImageReference ref = digest == null ? ImageReference.parse(name) : ImageReference.parse(name + "@" + x(digest));
        if (tag != null) {
            ref = ref.withTag(tag);
        }
        assertEquals(x(familiar), ref.familiar());
    }

    @Test
    void errorsCarryTheirHttpStatus() {
        InvalidReferenceException e = assertThrows(InvalidReferenceException.class, () -> ImageReference.parse("A"));
        assertEquals(400, e.status());
        assertFalse(e.getMessage().isBlank());
    }

    private static void assertRejected(String input, ErrorCode code) {
        InvalidReferenceException e = assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(input),
                () -> "should reject " + input);
        assertEquals(code, e.code(), () -> input + ": " + e.getMessage());
    }

    private static String message(String input) {
        return assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(input)).getMessage();
    }
}
