package dev.registrymesh.registry.lifecycle;

/** Where a namespace's lifecycle settings come from (index-service, or fixed ones in tests). */
@FunctionalInterface
public interface PolicySource {
    PolicySource NONE = NamespacePolicy::none;

    /** The namespace's settings; {@link NamespacePolicy#none} when it has none. */
    NamespacePolicy policy(String namespace);
}
