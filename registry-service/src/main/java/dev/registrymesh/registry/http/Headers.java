package dev.registrymesh.registry.http;

/** HTTP header names of the Docker Registry API and the OCI Distribution Spec. */
final class Headers {
    static final String CONTENT_DIGEST = "Docker-Content-Digest";
    static final String UPLOAD_UUID = "Docker-Upload-UUID";
    static final String CHUNK_MIN_LENGTH = "OCI-Chunk-Min-Length";
    static final String SUBJECT = "OCI-Subject";
    static final String TAG = "OCI-Tag";
    static final String FILTERS_APPLIED = "OCI-Filters-Applied";
    static final String RANGE = "Range";
    static final String CONTENT_RANGE = "Content-Range";
    static final String LOCATION = "Location";
    static final String LINK = "Link";

    private Headers() {
    }
}
