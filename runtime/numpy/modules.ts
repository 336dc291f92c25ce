// Where numpy's reconstruction functions live, per generation: numpy 2 moved numpy.core to
// numpy._core (numpy 2 still reads the old names; numpy 1 cannot read the new ones).
import type { NumpyGeneration } from "./ndarray.ts";

export const NUMPY_MODULES: Readonly<Record<NumpyGeneration, { readonly multiarray: string; readonly numeric: string }>> = {
  1: { multiarray: "numpy.core.multiarray", numeric: "numpy.core.numeric" },
  2: { multiarray: "numpy._core.multiarray", numeric: "numpy._core.numeric" },
};
