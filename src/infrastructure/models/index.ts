// Models: loading a model URI through the flavor loaders.
export { ModelLoader, type ModelLoaderOptions } from './model-loader';
export { MLOPS_KIT_FLAVOR_LOADER } from './mlops-kit-flavor';
