package dev.registrymesh.index.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** A typed view of one backend table: records of one type by key, stored as JSON. */
public final class Table<T> {
    private final KeyValueBackend backend;
    private final String name;
    private final Class<T> type;

    Table(KeyValueBackend backend, String name, Class<T> type) {
        this.backend = backend;
        this.name = name;
        this.type = type;
    }

    public Optional<T> get(String key) {
        String json = backend.get(name, key);
        return json == null ? Optional.empty() : Optional.of(StoreJson.read(json, type));
    }

    public List<T> all() {
        List<T> out = new ArrayList<>();
        for (String json : backend.all(name).values()) {
            out.add(StoreJson.read(json, type));
        }
        return out;
    }

    /** Every record with its key. */
    public java.util.Map<String, T> entries() {
        java.util.Map<String, T> out = new java.util.LinkedHashMap<>();
        backend.all(name).forEach((key, json) -> out.put(key, StoreJson.read(json, type)));
        return out;
    }

    public void put(String key, T value) {
        backend.put(name, key, StoreJson.write(value));
    }

    public boolean putIfAbsent(String key, T value) {
        return backend.putIfAbsent(name, key, StoreJson.write(value));
    }

    public boolean delete(String key) {
        return backend.delete(name, key);
    }

    /** Atomic read-modify-write; {@code fn} may run more than once. Empty when the key is absent. */
    public Optional<T> update(String key, UnaryOperator<T> fn) {
        String json = backend.update(name, key, current -> StoreJson.write(fn.apply(StoreJson.read(current, type))));
        return json == null ? Optional.empty() : Optional.of(StoreJson.read(json, type));
    }
}
