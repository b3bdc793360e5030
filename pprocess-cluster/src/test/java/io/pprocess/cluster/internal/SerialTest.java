package io.pprocess.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the ids of the cluster's own messages. They are Hazelcast's ids (a factory id and a
 * class id per message), a namespace apart from the Kryo registration ids of pprocess-core's
 * channels ({@code Frames.CodecId}), which the cluster neither uses nor extends: what it sends
 * to a node's children goes through core's public API like any application's values.
 */
class SerialTest {

    @Test
    void everyMessageOfTheClusterHasItsOwnIdInTheFactory() throws Exception {
        Map<Integer, Class<?>> byId = new HashMap<>();
        List<Class<?>> messages = messageClasses();
        assertThat(messages).as("the cluster's messages")
                .containsExactlyInAnyOrder(JobSpec.class, ChunkTask.class, CancelTask.class);
        Serial factory = new Serial();
        for (Class<?> type : messages) {
            java.lang.reflect.Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            IdentifiedDataSerializable message = (IdentifiedDataSerializable) constructor.newInstance();
            assertThat(message.getFactoryId()).as(type.getName()).isEqualTo(Serial.FACTORY_ID);
            Class<?> before = byId.put(message.getClassId(), type);
            assertThat(before).as("class id %d of %s", message.getClassId(), type.getName()).isNull();
            assertThat(factory.create(message.getClassId())).as(type.getName()).isInstanceOf(type);
        }
        assertThat(byId).containsOnlyKeys(Serial.JOB, Serial.CHUNK, Serial.CANCEL);
        assertThat(List.of(Serial.JOB, Serial.CHUNK, Serial.CANCEL)).containsExactly(1, 2, 3);
        assertThat(Serial.FACTORY_ID).isEqualTo(0x5050_0001);
        assertThat(factory.create(4)).as("an unknown class id").isNull();
    }

    /** The classes of this module that Hazelcast sends by id. */
    private static List<Class<?>> messageClasses() throws Exception {
        Path root = Path.of(Serial.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> found = new ArrayList<>();
        List<String> names;
        try (Stream<Path> walk = Files.walk(root)) {
            names = walk.map(p -> root.relativize(p).toString())
                    .filter(n -> n.endsWith(".class") && n.startsWith("io/pprocess/cluster/"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .collect(Collectors.toList());
        }
        for (String name : names) {
            Class<?> c = Class.forName(name, false, Serial.class.getClassLoader());
            if (IdentifiedDataSerializable.class.isAssignableFrom(c) && !c.isInterface()
                    && !java.lang.reflect.Modifier.isAbstract(c.getModifiers())) {
                found.add(c);
            }
        }
        return found;
    }
}
