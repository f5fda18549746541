-- Entry script: numerical image dimension (NumericalImplicitization's numericalImageDim).
-- Job: {"nvars": n, "polynomials": [strings in t_0..t_(n-1)], "seed": s}
-- Result: {"dim": d, "seconds": wall time of numericalImageDim, as a string}
needsPackage("Neuromanifold", FileName => getenv "NEUROMANIFOLD_M2_DIR" | "/Neuromanifold.m2");
(inFile, outFile) = jobFiles();
job = readJob inFile;
setRandomSeed(job#"seed");
F = jobPolynomials job;
T = elapsedTiming imageDimension F;
writeResult(outFile, hashTable {"dim" => T#1, "seconds" => toString(T#0)});
