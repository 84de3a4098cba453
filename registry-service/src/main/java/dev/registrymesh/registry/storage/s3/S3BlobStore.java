package dev.registrymesh.registry.storage.s3;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.registrymesh.common.Digest;
import dev.registrymesh.registry.storage.BlobStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link BlobStore} in an S3 bucket, laid out by {@link S3Layout}. Reads stream from S3 (a Range is a ranged
 * GET) or, in redirect mode, are presigned URLs. Writes arrive as verified local files and are uploaded to the
 * blob's key, where they appear whole. Only sizes of blobs that exist are cached: content never changes under
 * a digest, so no other node can make such an entry wrong.
 */
public class S3BlobStore implements BlobStore {
    private final S3Storage s3;
    private final Path localTemp;
    private final Cache<Digest, Long> sizes = Caffeine.newBuilder().maximumSize(200_000).build();

    public S3BlobStore(S3Storage s3, Path localTemp) {
        this.s3 = s3;
        this.localTemp = localTemp;
    }

    @Override
    public long size(Digest digest) {
        Long known = sizes.getIfPresent(digest);
        if (known != null) {
            return known;
        }
        long size = s3.size(s3.layout().blob(digest));
        if (size >= 0) {
            sizes.put(digest, size);
        }
        return size;
    }

    @Override
    public Future<ReadStream<Buffer>> open(Vertx vertx, Digest digest, long offset, long length) {
        Context context = vertx.getOrCreateContext();
        if (length == 0) {
            return Future.succeededFuture(new PublisherReadStream(context, subscriber -> subscriber.onSubscribe(
                    new org.reactivestreams.Subscription() {
                        private boolean done;

                        @Override
                        public void request(long n) {
                            if (!done) {
                                done = true;
                                subscriber.onComplete();
                            }
                        }

                        @Override
                        public void cancel() {
                            done = true;
                        }
                    })));
        }
        Promise<ReadStream<Buffer>> opened = Promise.promise();
        s3.read(s3.layout().blob(digest), offset, length).whenComplete((publisher, failure) -> context.runOnContext(v -> {
            if (failure != null) {
                opened.fail(failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure);
            } else {
                opened.complete(new PublisherReadStream(context, publisher));
            }
        }));
        return opened.future();
    }

    @Override
    public URI redirect(Digest digest) {
        return s3.settings().redirectTtl() == null ? null : s3.presignedGet(s3.layout().blob(digest));
    }

    @Override
    public Path newTempFile() throws IOException {
        Files.createDirectories(localTemp);
        return Files.createTempFile(localTemp, "blob-", ".part");
    }

    @Override
    public void commit(Path verifiedTemp, Digest digest) throws IOException {
        try {
            if (size(digest) < 0) {
                s3.put(s3.layout().blob(digest), verifiedTemp, Files.size(verifiedTemp));
            }
        } finally {
            Files.deleteIfExists(verifiedTemp);
        }
    }

    @Override
    public void put(Digest digest, byte[] content) {
        if (size(digest) < 0) {
            s3.put(s3.layout().blob(digest), content);
        }
    }

    @Override
    public byte[] read(Digest digest) throws IOException {
        byte[] content = s3.bytes(s3.layout().blob(digest));
        if (content == null) {
            throw new java.nio.file.NoSuchFileException(s3.layout().blob(digest));
        }
        return content;
    }

    @Override
    public StoredBlob stat(Digest digest) {
        var head = s3.head(s3.layout().blob(digest));
        return head == null ? null : new StoredBlob(digest, head.contentLength(), head.lastModified());
    }

    @Override
    public void forEachBlob(java.util.function.Consumer<StoredBlob> action) {
        String prefix = s3.layout().blobs();
        for (software.amazon.awssdk.services.s3.model.S3Object object : s3.list(prefix, false).objects()) {
            // <alg>/<hex[0..2]>/<hex>
            String[] parts = object.key().substring(prefix.length()).split("/");
            String text = parts.length == 3 ? parts[0] + ":" + parts[2] : "";
            if (Digest.isValid(text)) {
                action.accept(new StoredBlob(Digest.parse(text), object.size(), object.lastModified()));
            }
        }
    }

    @Override
    public boolean delete(Digest digest) {
        sizes.invalidate(digest);
        return s3.delete(s3.layout().blob(digest));
    }
}
