package io.pprocess.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.pprocess.SerializableFunction;
import java.lang.invoke.MethodHandleInfo;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class LambdaShapeTest {
    static final AtomicInteger RUNS = new AtomicInteger();

    private final String prefix = "p";

    private static ClassLoader loader() {
        return LambdaShapeTest.class.getClassLoader();
    }

    @Test
    void describesASerialisableLambdaWithoutWhatItCaptured() {
        int offset = 5;
        String label = "secret";
        SerializableFunction<Integer, String> f = x -> label + (x + offset);
        LambdaShape shape = LambdaShape.of(f);
        assertThat(shape).isNotNull();
        assertThat(shape.capturingClass()).isEqualTo(LambdaShapeTest.class.getName());
        assertThat(shape.functionalInterfaceClass()).isEqualTo("io/pprocess/SerializableFunction");
        assertThat(shape.implMethodKind()).isEqualTo(MethodHandleInfo.REF_invokeStatic);
        assertThat(shape.capturedArgCount()).isEqualTo(2);
        assertThat(shape.toString()).doesNotContain("secret");
        assertThat(LambdaShape.of(f)).isEqualTo(shape);
    }

    @Test
    void refusesWhatIsNotASerialisableLambda() {
        Function<Integer, Integer> plain = x -> x;
        assertThat(LambdaShape.of(plain)).isNull();
        assertThat(LambdaShape.of("text")).isNull();
        assertThat(LambdaShape.of(null)).isNull();
    }

    @Test
    void preparingMakesTheLambdaWithDefaultsAndNeverRunsIt() {
        long big = 7L;
        boolean flag = true;
        double scale = 2.5;
        char mark = 'x';
        SerializableFunction<Integer, Integer> f = x -> {
            RUNS.incrementAndGet();
            return (int) (x * scale + big + (flag ? mark : 0));
        };
        RUNS.set(0);
        Object made = LambdaShape.of(f).prepare(loader());
        assertThat(made).isInstanceOf(SerializableFunction.class);
        assertThat(RUNS).hasValue(0);
    }

    @Test
    void preparesALambdaThatCapturesItsReceiver() {
        SerializableFunction<String, String> f = x -> prefix + x;
        LambdaShape shape = LambdaShape.of(f);
        assertThat(shape.capturedArgCount()).isEqualTo(1);
        assertThat(shape.implMethodKind()).isNotEqualTo(MethodHandleInfo.REF_invokeStatic);
        assertThat(shape.prepare(loader())).isInstanceOf(SerializableFunction.class);
    }

    @Test
    void preparesAMethodReference() {
        SerializableFunction<String, Integer> f = Integer::parseInt;
        assertThat(LambdaShape.of(f).prepare(loader())).isInstanceOf(SerializableFunction.class);
    }

    @Test
    void shapesThatCannotBePreparedArePassedOver() {
        SerializableFunction<Integer, Integer> f = x -> x + 1;
        LambdaShape good = LambdaShape.of(f);
        LambdaShape missing = new LambdaShape("no.such.Holder", good.functionalInterfaceClass(),
                good.functionalInterfaceMethodName(), good.functionalInterfaceMethodSignature(),
                good.implMethodKind(), "no/such/Holder", good.implMethodName(), good.implMethodSignature(),
                good.instantiatedMethodType(), 0);
        LambdaShape wrongMethod = new LambdaShape(good.capturingClass(), good.functionalInterfaceClass(),
                good.functionalInterfaceMethodName(), good.functionalInterfaceMethodSignature(),
                good.implMethodKind(), good.implClass(), "noSuchLambda", good.implMethodSignature(),
                good.instantiatedMethodType(), 0);
        assertThat(LambdaShape.prepareAll(List.of(missing, good, "not a shape", wrongMethod), loader()))
                .singleElement().isInstanceOf(SerializableFunction.class);
        assertThat(Codec.prepare(List.of(good))).isEqualTo(1);
        assertThat(Codec.prepare("not a list")).isZero();
    }

    @Test
    void shapesSurviveTheCodec() {
        SerializableFunction<Integer, Integer> f = x -> x * 2;
        List<LambdaShape> shapes = List.of(LambdaShape.of(f));
        com.esotericsoftware.kryo.io.Output out = new com.esotericsoftware.kryo.io.Output(64, -1);
        Codec.encode(out, shapes);
        assertThat(Codec.decode(out.getBuffer(), 0, out.position())).isEqualTo(shapes);
    }
}
