package dev.registrymesh.registry.blob;

import dev.registrymesh.common.ErrorCode;
import dev.registrymesh.common.OciException;

/** A chunk that does not start where the upload ends: 416, and the client learns the real offset. */
public class UploadOutOfOrderException extends OciException {
    private final long uploadedSize;

    public UploadOutOfOrderException(long uploadedSize, String message) {
        super(ErrorCode.RANGE_INVALID, message);
        this.uploadedSize = uploadedSize;
    }

    public long uploadedSize() {
        return uploadedSize;
    }
}
