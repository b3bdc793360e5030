package io.pprocess.cluster.internal;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.time.Duration;
import java.util.List;

/**
 * The Hazelcast configurations of a node (member) and a driver (client): TCP/IP join with the
 * listed members only, bound to one interface, multicast and auto-detection off, no phone-home,
 * the cluster's own serialisation factory.
 */
public final class Configs {
    /** Seconds without a heartbeat after which a member is taken for dead. */
    public static final int MAX_NO_HEARTBEAT_SECONDS = 10;
    /**
     * The system property naming the driver's Hazelcast logging ({@code jdk}, {@code log4j2},
     * ...); by default the driver's Hazelcast client logs nothing, since its failures reach the
     * caller as exceptions.
     */
    public static final String DRIVER_LOGGING = "pprocess.cluster.hazelcastLogging";

    private Configs() {
    }

    /**
     * The configuration of a node.
     *
     * @param cluster the cluster name
     * @param members the members to join, {@code HOST:PORT} each
     * @param bind the address to bind
     * @param port the port
     * @param workers the node's workers (a member attribute)
     * @param service the node's service, put in the user context
     * @return the configuration
     */
    public static Config member(String cluster, List<String> members, String bind, int port, int workers,
                                NodeService service) {
        Config config = new Config();
        config.setClusterName(cluster);
        config.setInstanceName("pprocess-node-" + bind + "-" + port);
        common(config);
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(bind);
        network.setPublicAddress(bind + ":" + port);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        for (String member : members) {
            join.getTcpIpConfig().addMember(member);
        }
        config.getMemberAttributeConfig().setAttribute(NodeService.WORKERS_ATTRIBUTE, Integer.toString(workers));
        config.getExecutorConfig(ChunkTask.EXECUTOR).setPoolSize(16).setQueueCapacity(0).setStatisticsEnabled(false);
        config.getExecutorConfig(CancelTask.EXECUTOR).setPoolSize(2).setQueueCapacity(0).setStatisticsEnabled(false);
        config.getMapConfig(NodeService.JARS).setMaxIdleSeconds(3600).setBackupCount(1);
        config.getMapConfig(JobSpec.MAP).setMaxIdleSeconds(3600).setBackupCount(1);
        config.getSerializationConfig().addDataSerializableFactory(Serial.FACTORY_ID, new Serial());
        config.getSerializationConfig().setJavaSerializationFilterConfig(new JavaSerializationFilterConfig());
        config.getUserContext().put(NodeService.KEY, service);
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(MAX_NO_HEARTBEAT_SECONDS));
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.graceful.shutdown.max.wait", "20");
        return config;
    }

    /**
     * The configuration of a driver.
     *
     * @param cluster the cluster name
     * @param members the members to connect to, {@code HOST:PORT} each
     * @param connectTimeout how long to try to reach the cluster, at first and after losing it
     * @return the configuration
     */
    public static ClientConfig client(String cluster, List<String> members, Duration connectTimeout) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(cluster);
        config.setInstanceName("pprocess-driver-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", System.getProperty(DRIVER_LOGGING, "none"));
        config.getNetworkConfig().setAddresses(members);
        config.getNetworkConfig().getAutoDetectionConfig().setEnabled(false);
        config.getConnectionStrategyConfig().setAsyncStart(false)
                .setReconnectMode(ClientConnectionStrategyConfig.ReconnectMode.ASYNC);
        config.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setClusterConnectTimeoutMillis(connectTimeout.toMillis())
                .setInitialBackoffMillis(200).setMaxBackoffMillis(2000);
        config.getSerializationConfig().addDataSerializableFactory(Serial.FACTORY_ID, new Serial());
        config.setProperty("hazelcast.client.heartbeat.interval", "1000");
        config.setProperty("hazelcast.client.heartbeat.timeout", Long.toString(MAX_NO_HEARTBEAT_SECONDS * 1000L));
        config.setProperty("hazelcast.client.shutdownhook.enabled", "false");
        return config;
    }

    private static void common(Config config) {
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.getJetConfig().setEnabled(false);
    }
}
