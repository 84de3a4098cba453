package dev.registrymesh.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** The spec's error body: {@code {"errors":[{"code","message","detail"}]}}. */
public record ErrorBody(List<Entry> errors) {

    private static final ObjectMapper JSON = new ObjectMapper();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String code, String message, Object detail) {
    }

    public static ErrorBody of(ErrorCode code, String message, Object detail) {
        return new ErrorBody(List.of(new Entry(code.name(), message == null ? code.defaultMessage() : message, detail)));
    }

    public static ErrorBody of(ErrorCode code, String message) {
        return of(code, message, null);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
