package dev.registrymesh.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reference vectors for {@link ImageReference}, written from the Docker CLI's normalization rules.
 * In the tables, {256} and {512} stand for a sha256 and a sha512 digest, {hex} for 64 bare hex digits (and {HEX} for
 * them in uppercase).
 */
class ImageReferenceTest {
    static final String HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final String S256 = "sha256:" + HEX;
    static final String S512 = "sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";

    static String x(String s) {
        return s == null ? null : s.replace("{256}", S256).replace("{512}", S512).replace("{hex}", HEX)
                .replace("{HEX}", HEX.toUpperCase(Locale.ROOT));
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
        # Docker Hub names that must keep a prefix to read back the same
        docker.io/foo.bar/app                  | docker.io             | foo.bar/app         | latest       |        | docker.io/foo.bar/app:latest                        | docker.io/foo.bar/app:latest             | docker.io/foo.bar/app
        docker.io/localhost/app                | docker.io             | localhost/app       | latest       |        | docker.io/localhost/app:latest                      | docker.io/localhost/app:latest           | docker.io/localhost/app
        docker.io/library/localhost            | docker.io             | library/localhost   | latest       |        | docker.io/library/localhost:latest                  | localhost:latest                         | localhost
        """)
    void parsesValidReferences(String input, String registry, String repository, String tag, String digest,
            String canonical, String familiar, String familiarName) {
        ImageReference ref = ImageReference.parse(x(input));
        assertEquals(x(registry), ref.registry(), "registry");
        assertEquals(x(repository), ref.repository(), "repository");
        assertEquals(tag, ref.tag(), "tag");
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
        ex_ample.com/app        | NAME_INVALID
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
                Arguments.of("alice/app:_" + "9".repeat(127) + "@" + S256, "docker.io", "alice/app", "_" + "9".repeat(127)));
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
                Arguments.of("ubuntu\u007f", ErrorCode.NAME_INVALID));
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
        assertEquals(ErrorCode.TAG_INVALID, assertThrows(InvalidReferenceException.class, () -> ref.withTag(null)).code());
        assertEquals(ErrorCode.TAG_INVALID, assertThrows(InvalidReferenceException.class, () -> ref.withTag("t".repeat(129))).code());
        assertEquals(ErrorCode.DIGEST_INVALID, assertThrows(InvalidReferenceException.class, () -> ref.withDigest(null)).code());
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
