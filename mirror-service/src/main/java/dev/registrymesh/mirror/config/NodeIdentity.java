package dev.registrymesh.mirror.config;

/** This node's base URL as peers reach it; it is also the node's name in the cluster index. */
public record NodeIdentity(String url) {
}
