-- Entry script: degree of the image closure by NumericalImplicitization's numericalImageDegree.
-- Job: {"nvars": n, "polynomials": [strings in t_0..t_(n-1)], "seeds": [s1, s2, ...],
--       "gauge": [indices of the variables each run sets to its own random unit complex numbers]}
-- Result: {"runs": [{"seed": s, "degree": d, "complete": true|false, "seconds": string}, ...]}
needsPackage("Neuromanifold", FileName => getenv "NEUROMANIFOLD_M2_DIR" | "/Neuromanifold.m2");
(inFile, outFile) = jobFiles();
job = readJob inFile;
F = jobPolynomials job;
runs = apply(job#"seeds", s -> (
    setRandomSeed s;
    T := elapsedTiming imageDegreeNumerical(F, Gauge => (if job#?"gauge" then job#"gauge" else {}));
    hashTable {"seed" => s, "degree" => (T#1)#0, "complete" => (T#1)#1, "seconds" => toString(T#0)}));
writeResult(outFile, hashTable {"runs" => runs});
