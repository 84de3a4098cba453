package dev.registrymesh.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Reads {@code Accept} headers for manifest negotiation. */
public final class Accept {
    private Accept() {
    }

    /** The media types named by the Accept headers, parameters such as {@code q=} dropped. */
    public static List<String> parse(Collection<String> headers) {
        List<String> types = new ArrayList<>();
        for (String header : headers) {
            for (String part : header.split(",")) {
                String type = part.split(";", 2)[0].trim();
                if (!type.isEmpty()) {
                    types.add(type);
                }
            }
        }
        return types;
    }

    /** True when a client that sent {@code accepted} can take {@code mediaType}; no Accept header takes anything. */
    public static boolean allows(Collection<String> accepted, String mediaType) {
        return accepted.isEmpty() || accepted.contains(mediaType) || accepted.contains("*/*")
                || accepted.contains(mediaType.substring(0, mediaType.indexOf('/') + 1) + "*");
    }
}
