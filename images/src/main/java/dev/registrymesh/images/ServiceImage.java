package dev.registrymesh.images;

import java.util.List;

/** What differs between the four images: the module, its ports and a one-line description. */
record ServiceImage(String module, int port, int managementPort, int tlsPort, String description) {
    static final List<ServiceImage> ALL = List.of(
            new ServiceImage("registry-service", 5000, 9000, 5440, "OCI Distribution registry of the registry mesh"),
            new ServiceImage("auth-service", 5001, 9001, 5441, "Docker token server of the registry mesh"),
            new ServiceImage("index-service", 5002, 9002, 5442, "Accounts, repositories, search and console of the registry mesh"),
            new ServiceImage("mirror-service", 5003, 9003, 5443, "Pull-through cache of the registry mesh"));

    static ServiceImage named(String module) {
        return ALL.stream().filter(s -> s.module.equals(module)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown service " + module + "; one of "
                        + ALL.stream().map(ServiceImage::module).toList()));
    }
}
