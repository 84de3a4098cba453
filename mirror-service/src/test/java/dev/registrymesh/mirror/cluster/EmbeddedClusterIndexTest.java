package dev.registrymesh.mirror.cluster;

class EmbeddedClusterIndexTest extends ClusterIndexContract {
    private final EmbeddedClusterIndex index = new EmbeddedClusterIndex();

    @Override
    ClusterIndex index() {
        return index;
    }
}
