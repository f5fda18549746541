-- Entry script: number of points of a zero-dimensional system over ZZ/p (with multiplicity).
-- Job: {"nvars": n, "characteristic": p, "polynomials": [strings in t_0..t_(n-1)]}
-- Result: {"dim": Krull dimension of the quotient, "degree": its degree, "seconds": string}
needsPackage("Neuromanifold", FileName => getenv "NEUROMANIFOLD_M2_DIR" | "/Neuromanifold.m2");
(inFile, outFile) = jobFiles();
job = readJob inFile;
F = jobPolynomials(job, CoefficientRing => ZZ/(job#"characteristic"));
T = elapsedTiming countPoints F;
writeResult(outFile, hashTable {"dim" => (T#1)#0, "degree" => (T#1)#1, "seconds" => toString(T#0)});
